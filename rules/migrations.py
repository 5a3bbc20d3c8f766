"""Schema of the rules' own data: who of the family takes part in the team, and every
decision about a signal. Never edit an applied step: add a new one."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("rules")


@migrations()
def create_participants_and_decisions(db):
    # Parents as equal members of the team: the exchange format has no place for it, so
    # the app keeps it per family and person id.
    db.execute(
        """
        CREATE TABLE family_participants (
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            person_id TEXT NOT NULL,
            PRIMARY KEY (family_id, person_id)
        )
        """
    )
    # Rows are only ever added: the newest per family and rule is the current decision.
    # The fingerprint is that of the facts the signal showed: a dismissal holds until
    # they change.
    db.execute(
        """
        CREATE TABLE signal_decisions (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            rule_id TEXT NOT NULL,
            rule_version INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('accepted', 'dismissed')),
            reason TEXT,
            note TEXT,
            action_id INTEGER REFERENCES actions(id) ON DELETE SET NULL,
            decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            decided_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX signal_decisions_family ON signal_decisions(family_id, rule_id)")


@migrations()
def participants_into_the_case(db):
    # case/1 now says who of the family sits at the table (a person's `in_team`): that is
    # the one place it is kept. Who was chosen here before moves into the case.
    db.execute(
        "UPDATE persons SET in_team = 1 WHERE EXISTS (SELECT 1 FROM family_participants fp "
        "WHERE fp.family_id = persons.family_id AND fp.person_id = persons.local_id)"
    )
    db.execute("DROP TABLE family_participants")


@migrations()
def create_text_hint_dismissals(db):
    # A text hint ("de tekst noemt 'huurachterstand'") the team set aside as not
    # applicable: one row per family and problem, kept until the family is erased.
    db.execute(
        """
        CREATE TABLE text_hint_dismissals (
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            problem TEXT NOT NULL,
            dismissed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            dismissed_at TEXT NOT NULL,
            PRIMARY KEY (family_id, problem)
        )
        """
    )
