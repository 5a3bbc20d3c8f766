"""Failed login attempts in the database (every function takes ``db`` first), so that
every worker and a restarted app see the same counts. :mod:`accounts.lockout` decides
from them; the rows are pruned once older than the longest window."""

PASSWORD = "password"  # noqa: S105 (a kind of attempt, not a secret)
CODE = "code"


def times_for_account(db, kind, account, address=None):
    """When the account (from this address, if given) failed with this kind of attempt."""
    sql = "SELECT at FROM login_failures WHERE kind = ? AND account = ?"
    params = [kind, account]
    if address is not None:
        sql += " AND address = ?"
        params.append(address)
    return [row["at"] for row in db.query(sql, params)]


def times_for_address(db, address, since):
    """When anything failed from this address since ``since``."""
    return [
        row["at"]
        for row in db.query(
            "SELECT at FROM login_failures WHERE address = ? AND at > ?", [address, since]
        )
    ]


def record(db, kind, account, address, now):
    db.table("login_failures").insert(
        {"kind": kind, "account": account, "address": address, "at": now}
    )


def forget(db, kind, account, address=None):
    """A success: the account's (or the pair's) failures of this kind no longer count."""
    sql = "DELETE FROM login_failures WHERE kind = ? AND account = ?"
    params = [kind, account]
    if address is not None:
        sql += " AND address = ?"
        params.append(address)
    db.execute(sql, params)


def prune(db, before):
    db.execute("DELETE FROM login_failures WHERE at < ?", [before])
