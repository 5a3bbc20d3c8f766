"""Schema of the family cases. Never edit an applied step: add a new one."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("cases")


@migrations()
def create_case_tables(db):
    db.executescript(
        """
        CREATE TABLE families (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            region TEXT,
            goal TEXT NOT NULL,
            status TEXT NOT NULL,
            started TEXT,
            narrative TEXT,
            child_perspective TEXT,
            returned_home INTEGER,
            family_contact_improved INTEGER,
            outcome_date TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE persons (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            local_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            name TEXT,
            sex TEXT NOT NULL,
            birth_year INTEGER,
            deceased INTEGER NOT NULL,
            is_index INTEGER NOT NULL,
            problems TEXT NOT NULL,
            interests TEXT NOT NULL,
            strengths TEXT NOT NULL,
            residence TEXT,
            UNIQUE (family_id, local_id)
        );
        CREATE TABLE placements (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            residence TEXT NOT NULL,
            provider TEXT,
            start TEXT NOT NULL,
            "end" TEXT
        );
        CREATE TABLE relations (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            a_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            b_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            detail TEXT NOT NULL
        );
        CREATE TABLE network_members (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            local_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            name TEXT,
            partner TEXT NOT NULL,
            in_team INTEGER NOT NULL,
            UNIQUE (family_id, local_id)
        );
        CREATE TABLE ties (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES network_members(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            strength TEXT NOT NULL,
            stressful INTEGER NOT NULL,
            flow TEXT NOT NULL
        );
        CREATE TABLE solutions (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            summary TEXT,
            components TEXT NOT NULL,
            partners TEXT NOT NULL,
            addresses TEXT NOT NULL,
            outcome TEXT NOT NULL
        );
        CREATE INDEX persons_family ON persons(family_id);
        CREATE INDEX placements_person ON placements(person_id);
        CREATE INDEX relations_family ON relations(family_id);
        CREATE INDEX relations_a ON relations(a_id);
        CREATE INDEX relations_b ON relations(b_id);
        CREATE INDEX network_family ON network_members(family_id);
        CREATE INDEX ties_member ON ties(member_id);
        CREATE INDEX ties_person ON ties(person_id);
        CREATE INDEX solutions_family ON solutions(family_id);
        """
    )


@migrations()
def add_closed_at(db):
    # When a case was closed in Maatwerktafel: the start of the retention period when
    # the outcome has no date of its own.
    db.execute("ALTER TABLE families ADD COLUMN closed_at TEXT")
    db.execute("UPDATE families SET closed_at = updated_at WHERE status = 'closed'")


@migrations()
def add_in_team_household_and_by(db):
    # case/1 since 2026-12: a person's `in_team` and `household`, and from whom an
    # emotional abuse or conflict comes (`by`, a person of the relation).
    db.execute("ALTER TABLE persons ADD COLUMN in_team INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE persons ADD COLUMN household TEXT")
    db.execute(
        "ALTER TABLE relations ADD COLUMN by_id INTEGER REFERENCES persons(id) ON DELETE CASCADE"
    )


@migrations()
def add_family_creations(db):
    # The form that made a family: a second submit of it (a double click) finds the
    # family instead of making another. Goes with the family when it is erased.
    db.executescript(
        """
        CREATE TABLE family_creations (
            token TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL,
            family_id INTEGER REFERENCES families(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL
        );
        """
    )


@migrations()
def move_family_creations_to_form_submissions(db):
    # The new-family form's tokens join every other create form's (core.submissions:
    # one table, pruned after a day, forgotten when the family is erased).
    db.executescript(
        """
        INSERT OR IGNORE INTO form_submissions (token, user_id, scope, created_at, result)
        SELECT c.token, c.user_id, '/gezinnen/', c.created_at, json_quote(f.code)
        FROM family_creations c JOIN families f ON f.id = c.family_id;
        DROP TABLE family_creations;
        """
    )
