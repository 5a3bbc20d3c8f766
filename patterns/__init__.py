"""Patterns across the cohort: outcomes, signals, problems, solutions and groups of
similar families, for project leads (``/patronen``)."""
