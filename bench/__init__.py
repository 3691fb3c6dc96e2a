"""Benchmarks: each prints a table with ratios against peers measured in the same run."""
