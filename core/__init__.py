"""Plumbing shared by every domain: the database connection and its migrations."""
