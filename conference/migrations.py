"""Schema of case conferences. Never edit an applied step: add a new one."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("conference")


@migrations()
def create_conferences(db):
    # ``version`` goes up with every change to the conference or anything in it: the
    # screens of the participants poll it and redraw when it moved.
    db.execute(
        """
        CREATE TABLE conferences (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            held_on TEXT NOT NULL,
            facilitator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            agenda TEXT NOT NULL,
            step TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            purpose TEXT,
            consent_recorded INTEGER NOT NULL DEFAULT 0,
            consent_note TEXT,
            consent_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            consent_at TEXT,
            worries_scale INTEGER CHECK (worries_scale BETWEEN 0 AND 10),
            summary TEXT,
            next_date TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            closed_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX conferences_family ON conferences(family_id, held_on)")
    db.execute(
        """
        CREATE TABLE conference_participants (
            id INTEGER PRIMARY KEY,
            conference_id INTEGER NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            role TEXT,
            partner TEXT,
            present INTEGER NOT NULL DEFAULT 1,
            in_team INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        """
        CREATE TABLE conference_notes (
            id INTEGER PRIMARY KEY,
            conference_id INTEGER NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        )
        """
    )
    db.execute("CREATE INDEX conference_notes_conference ON conference_notes(conference_id)")
    # Parents' personal goals (as in Simba) belong to the family and live across
    # conferences; each conference may score each goal once, 0-10.
    db.execute(
        """
        CREATE TABLE parent_goals (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            person_id TEXT NOT NULL,
            goal TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE goal_scores (
            goal_id INTEGER NOT NULL REFERENCES parent_goals(id) ON DELETE CASCADE,
            conference_id INTEGER NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            PRIMARY KEY (goal_id, conference_id)
        )
        """
    )
    # Decisions are actions with more to them; an action made in a conference names it.
    db.execute(
        "ALTER TABLE actions ADD COLUMN conference_id INTEGER "
        "REFERENCES conferences(id) ON DELETE SET NULL"
    )
    db.execute("ALTER TABLE actions ADD COLUMN lead TEXT")
    db.execute("ALTER TABLE actions ADD COLUMN evaluate_on TEXT")
    db.execute("ALTER TABLE actions ADD COLUMN fallback TEXT")
