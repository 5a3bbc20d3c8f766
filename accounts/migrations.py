"""Schema of user accounts. Never edit an applied step: add a new one."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("accounts")


@migrations()
def create_account_tables(db):
    db.executescript(
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            auth_epoch INTEGER NOT NULL DEFAULT 1,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            last_login_at TEXT
        );
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            hint TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_used_at TEXT
        );
        CREATE INDEX api_tokens_user ON api_tokens(user_id);
        """
    )


@migrations()
def add_second_factor(db):
    # One statement at a time: executescript() would commit the open transaction and
    # so split the step from its record.
    db.execute("ALTER TABLE users ADD COLUMN totp_secret TEXT")
    db.execute("ALTER TABLE users ADD COLUMN totp_confirmed_at TEXT")
    db.execute("ALTER TABLE users ADD COLUMN totp_last_step INTEGER")
    db.execute(
        """
        CREATE TABLE role_settings (
            role TEXT PRIMARY KEY,
            require_totp INTEGER NOT NULL DEFAULT 0 CHECK (require_totp IN (0, 1)),
            updated_at TEXT
        )
        """
    )
