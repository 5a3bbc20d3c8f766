"""The family page's lists are rendered once per version of the family: the same page
as rendering them every time, never stale after a change, never holding a form's token."""

import re

from cases import editing, store
from cases.views import rendered

PAGE = "/gezinnen/test-gezin"


def text(response):
    return response.get_data(as_text=True)


def test_the_kept_rows_give_the_page_the_rows_would_give(login, monkeypatch):
    client = login()
    kept = text(client.get(PAGE))
    again = text(client.get(PAGE))  # now from what the first request rendered
    monkeypatch.setattr(rendered, "family_rows", lambda family, context: None)
    fresh = text(client.get(PAGE))  # the template includes the rows itself
    # Only the per-request tokens differ (CSRF in forms and the page's meta tag, one-time
    # form tokens): the CSRF token is signed with the second it was made in.
    tokens = re.compile(r'(?:value|content)="[A-Za-z0-9_.-]{16,}"')
    assert tokens.sub("", kept) == tokens.sub("", fresh) == tokens.sub("", again)
    assert "Ouder" in kept or "Kind" in kept  # the rows are there


def test_a_change_to_the_family_shows_at_once(login, db):
    client = login()
    assert "Tante Truus" not in text(client.get(PAGE))
    family, case = store.load_family(db, "test-gezin")
    store.save_case(
        db,
        editing.add_person(case, name="Tante Truus", sex="female"),
        replace=True,
        expected_version=family["version"],
    )
    assert "Tante Truus" in text(client.get(PAGE))


def test_the_kept_rows_hold_no_token_of_a_form(login):
    # A kept token would be every reader's: a second form sent with it would be taken
    # for a repeat of the first (core.submissions).
    rendered.forget()
    login().get(PAGE)
    kept = list(rendered._rows.values())
    assert kept, "the page kept its rows"
    for html in kept:
        assert "csrf_token" not in html and "form_token" not in html


def test_more_rows_asked_for_are_kept_apart(login, db):
    client = login()
    family, case = store.load_family(db, "test-gezin")
    for n in range(60):
        case = editing.add_person(case, name=f"Neef {n:02d}", sex="male")
    store.save_case(db, case, replace=True, expected_version=family["version"])
    first = text(client.get(PAGE))
    more = text(client.get(f"{PAGE}?personen=100"))
    assert "Neef 59" not in first and "Neef 59" in more
