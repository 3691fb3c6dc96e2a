"""Exact solvers: they prove their answer optimal when they finish."""
