"""Which families a user's lists show, and whether names may appear in them."""

from access import policy, store


def family_scope(db, user_id, user_role):
    """Keyword arguments for ``cases.store.list_families`` that fit the user."""
    scope = policy.list_scope(user_role)
    if scope == "all":
        return {"only_ids": None, "pseudonymised": False}
    if scope == "pseudonymised":
        return {"only_ids": None, "pseudonymised": True}
    return {"only_ids": store.family_ids_of(db, user_id), "pseudonymised": False}
