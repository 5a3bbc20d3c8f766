"""Schema of the solution library. Never edit an applied step: add a new one."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("library")


@migrations()
def create_library(db):
    # One statement at a time: executescript() would commit the open transaction and
    # so split the step from its record.
    #
    # A publication is the act (who asked, when, and how it ended); a library case is
    # the de-identified copy it produced, one per family, replaced when the family is
    # published again; its entries are the solutions. family_id is kept so that erasure
    # and export can find them; the library pages never show it.
    db.execute(
        """
        CREATE TABLE library_publications (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'processing', 'published', 'failed')),
            requested_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            requested_at TEXT NOT NULL,
            started_at TEXT,
            processed_at TEXT,
            failure TEXT
        )
        """
    )
    db.execute("CREATE INDEX library_publications_family ON library_publications(family_id)")
    db.execute("CREATE INDEX library_publications_status ON library_publications(status)")
    db.execute(
        """
        CREATE TABLE library_cases (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL UNIQUE REFERENCES families(id) ON DELETE CASCADE,
            publication_id INTEGER REFERENCES library_publications(id) ON DELETE SET NULL,
            published_at TEXT NOT NULL,
            published_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            title TEXT NOT NULL,
            goal TEXT,
            problems TEXT NOT NULL DEFAULT '[]',
            partners TEXT NOT NULL DEFAULT '[]',
            document TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE library_entries (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES library_cases(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            summary TEXT,
            components TEXT NOT NULL DEFAULT '[]',
            partners TEXT NOT NULL DEFAULT '[]',
            problems TEXT NOT NULL DEFAULT '[]',
            outcome TEXT,
            search_text TEXT NOT NULL DEFAULT '',
            UNIQUE (case_id, position)
        )
        """
    )
    db.execute(
        "CREATE VIRTUAL TABLE library_entries_fts USING fts5(title, search_text,"
        " content='library_entries', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute(
        "CREATE TRIGGER library_entries_ai AFTER INSERT ON library_entries BEGIN"
        " INSERT INTO library_entries_fts(rowid, title, search_text)"
        " VALUES (new.id, new.title, new.search_text); END"
    )
    db.execute(
        "CREATE TRIGGER library_entries_ad AFTER DELETE ON library_entries BEGIN"
        " INSERT INTO library_entries_fts(library_entries_fts, rowid, title, search_text)"
        " VALUES ('delete', old.id, old.title, old.search_text); END"
    )
    db.execute(
        "CREATE TRIGGER library_entries_au AFTER UPDATE ON library_entries BEGIN"
        " INSERT INTO library_entries_fts(library_entries_fts, rowid, title, search_text)"
        " VALUES ('delete', old.id, old.title, old.search_text);"
        " INSERT INTO library_entries_fts(rowid, title, search_text)"
        " VALUES (new.id, new.title, new.search_text); END"
    )
    # "We proberen dit": a family tries a library solution; the action it made.
    db.execute(
        """
        CREATE TABLE library_tried (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            entry_id INTEGER REFERENCES library_entries(id) ON DELETE SET NULL,
            entry_title TEXT NOT NULL,
            action_id INTEGER REFERENCES actions(id) ON DELETE SET NULL,
            tried_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            tried_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX library_tried_family ON library_tried(family_id)")
