"""Evaluation: the question set, the scorer and the benchmarks."""
