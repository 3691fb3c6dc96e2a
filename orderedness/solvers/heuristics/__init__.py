"""Heuristic solvers: fast orders, each reported with a proven lower bound."""
