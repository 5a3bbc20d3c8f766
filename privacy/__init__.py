"""The family's rights: consent, export of everything, retention and erasure."""
