"""The access log, in the spirit of NEN 7513: who did what with which family's data."""
