"""User accounts, roles, passwords and API tokens."""
