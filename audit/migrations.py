"""Schema of the access log. Never edit an applied step: add a new one.

The log is append-only: triggers refuse every UPDATE and DELETE, so not even a bug or a
hand-typed SQL statement in the app can rewrite history.
"""

from sqlite_utils.migrations import Migrations

from core.database import chain_hash

migrations = Migrations("audit")


@migrations()
def create_access_log(db):
    db.executescript(
        """
        CREATE TABLE access_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            outcome TEXT NOT NULL,
            family_id INTEGER,
            family_code TEXT,
            object TEXT,
            user_id INTEGER,
            username TEXT,
            user_role TEXT,
            on_behalf_of TEXT,
            access_point TEXT,
            detail TEXT
        );
        CREATE INDEX access_log_family ON access_log(family_id, at);
        CREATE INDEX access_log_user ON access_log(user_id, at);
        CREATE INDEX access_log_at ON access_log(at);
        CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
        BEGIN
            SELECT RAISE(ABORT, 'access_log is append-only');
        END;
        CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
        BEGIN
            SELECT RAISE(ABORT, 'access_log is append-only');
        END;
        """
    )


# The entry's own fields, in the order the chain hashes them (see audit.chain).
ENTRY_COLUMNS = (
    "id, at, event, outcome, family_id, family_code, object, user_id, username, user_role,"
    " on_behalf_of, access_point, detail"
)


@migrations()
def chain_access_log(db):
    """Each entry holds the hash of the one before it (``prev_hash``) and its own.

    UPDATE and DELETE were refused already; INSERT OR REPLACE was not (it deletes the
    old row without firing delete triggers). Now an insert must append: its id is the
    next one and its ``prev_hash`` is the last entry's hash. Existing entries are
    chained in id order.

    ``core.database.chain_hash`` must never change: every stored link depends on it.
    """
    db.executescript(
        """
        DROP TRIGGER access_log_no_update;
        DROP TRIGGER access_log_no_delete;
        ALTER TABLE access_log RENAME TO access_log_unchained;
        CREATE TABLE access_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            outcome TEXT NOT NULL,
            family_id INTEGER,
            family_code TEXT,
            object TEXT,
            user_id INTEGER,
            username TEXT,
            user_role TEXT,
            on_behalf_of TEXT,
            access_point TEXT,
            detail TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        DROP INDEX access_log_family;
        DROP INDEX access_log_user;
        DROP INDEX access_log_at;
        CREATE INDEX access_log_family ON access_log(family_id, at);
        CREATE INDEX access_log_user ON access_log(user_id, at);
        CREATE INDEX access_log_at ON access_log(at);
        """
    )
    # The ids stay as they were: a gap from before the chain would still show.
    previous = ""
    rows = db.conn.execute(f"SELECT {ENTRY_COLUMNS} FROM access_log_unchained ORDER BY id")
    for values in rows.fetchall():
        link = chain_hash(previous, *values)
        db.conn.execute(
            f"INSERT INTO access_log ({ENTRY_COLUMNS}, prev_hash, hash)"
            f" VALUES ({', '.join('?' * 15)})",
            [*values, previous, link],
        )
        previous = link
    db.executescript(
        """
        DROP TABLE access_log_unchained;
        CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
        BEGIN
            SELECT RAISE(ABORT, 'access_log is append-only');
        END;
        CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
        BEGIN
            SELECT RAISE(ABORT, 'access_log is append-only');
        END;
        CREATE TRIGGER access_log_append_only BEFORE INSERT ON access_log
        WHEN NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM access_log)
          OR NEW.prev_hash IS NOT coalesce(
                 (SELECT hash FROM access_log ORDER BY id DESC LIMIT 1), '')
        BEGIN
            SELECT RAISE(ABORT, 'access_log is append-only: an entry follows the last one');
        END;
        """
    )
