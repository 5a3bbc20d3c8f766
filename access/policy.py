"""Who may do what with a family's data. Pure: roles in, decisions out.

The norm (NEN 7510, AVG): people see a family's identifying details only when they work
with that family. A family's team is the set of users who do; a facilitator is on the
team of the families they facilitate. Admins see everything. Professionals outside the
team see the de-identified solution library only; project leads see patterns and a
pseudonymised family list (title, goal, region, status: no person names).
"""

from accounts.roles import ADMIN, FACILITATOR, PROJECT_LEAD

TEAM_FACILITATOR = "facilitator"
TEAM_MEMBER = "member"
TEAM_ROLES = {TEAM_FACILITATOR: "facilitator", TEAM_MEMBER: "teamlid"}

READ = "read"
EDIT = "edit"
MANAGE_TEAM = "manage_team"
EXPORT = "export"
ERASE = "erase"

ACTIONS = (READ, EDIT, MANAGE_TEAM, EXPORT, ERASE)


def allowed(user_role, team_role, action):
    """May a user with ``user_role``, on the team as ``team_role`` (or None), do ``action``?"""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user_role == ADMIN:
        return True
    if team_role is None:
        return False
    if action in (READ, EDIT):
        return team_role in TEAM_ROLES
    return team_role == TEAM_FACILITATOR


def may_create_family(user_role):
    """Admins and facilitators open new families (the creator facilitates it)."""
    return user_role in (ADMIN, FACILITATOR)


def list_scope(user_role):
    """Which families a user's family list shows, and how.

    ``"all"``: every family with details; ``"pseudonymised"``: every family, without
    person names or texts; ``"team"``: only the user's own families.
    """
    if user_role == ADMIN:
        return "all"
    if user_role == PROJECT_LEAD:
        return "pseudonymised"
    return "team"
