"""numba kernels: plain arrays in, plain arrays out. Compiled on first use, cached on disk."""
