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


@migrations()
def add_sessions_and_login_failures(db):
    # Server-side sessions: the cookie carries a random token, the table its hash, so a
    # session can be ended from anywhere and a copied database opens none.
    db.execute(
        """
        CREATE TABLE user_sessions (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at REAL NOT NULL,
            last_seen_at REAL NOT NULL,
            address TEXT,
            browser TEXT
        )
        """
    )
    db.execute("CREATE INDEX user_sessions_user ON user_sessions(user_id)")
    db.execute("CREATE INDEX user_sessions_last_seen ON user_sessions(last_seen_at)")
    # Failed login attempts, shared by every worker and kept over a restart.
    db.execute(
        """
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('password', 'code')),
            account TEXT NOT NULL,
            address TEXT NOT NULL,
            at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX login_failures_account ON login_failures(account, kind, at)")
    db.execute("CREATE INDEX login_failures_address ON login_failures(address, at)")
    db.execute("CREATE INDEX login_failures_at ON login_failures(at)")
