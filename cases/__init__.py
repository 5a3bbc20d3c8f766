"""Family cases: the exchange format, its validation and storage."""
