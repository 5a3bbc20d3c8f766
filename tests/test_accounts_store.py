"""Users, passwords and API tokens in the database, without the web layer."""

import pytest

from accounts import passwords, store

PASSWORD = "correct horse battery staple"


@pytest.fixture
def db(empty_db):
    return empty_db


@pytest.fixture
def user_id(db):
    return store.create_user(db, "anna", PASSWORD, "facilitator", display_name="Anna de Boer")


def dump(db):
    return "\n".join(db.conn.iterdump())


# Users and passwords


def test_create_user_stores_an_argon2_hash_never_the_password(db, user_id):
    user = store.get_user(db, user_id)
    assert user["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in dump(db)
    assert passwords.verify_password(user["password_hash"], PASSWORD)


def test_create_user_same_password_gets_a_different_hash(db, user_id):
    other = store.create_user(db, "bert", PASSWORD, "admin")
    assert (
        store.get_user(db, other)["password_hash"] != store.get_user(db, user_id)["password_hash"]
    )


def test_create_user_keeps_role_and_display_name(db, user_id):
    user = store.get_user(db, user_id)
    assert (user["username"], user["display_name"], user["role"]) == (
        "anna",
        "Anna de Boer",
        "facilitator",
    )
    assert user["active"] == 1


def test_create_user_display_name_defaults_to_username(db):
    user = store.get_user(db, store.create_user(db, "bert", PASSWORD, "admin"))
    assert user["display_name"] == "bert"


@pytest.mark.parametrize("name", ["anna", "ANNA", "Anna"])
def test_create_user_duplicate_name_is_refused_in_dutch(db, user_id, name):
    with pytest.raises(store.AccountError, match="bestaat al"):
        store.create_user(db, name, PASSWORD, "admin")
    assert len(store.list_users(db)) == 1


@pytest.mark.parametrize("name", ["a", "jan jansen", "jan@example.nl", "x" * 65, "", None])
def test_create_user_bad_name_is_refused_in_dutch(db, name):
    with pytest.raises(store.AccountError, match="gebruikersnaam"):
        store.create_user(db, name, PASSWORD, "admin")
    assert store.list_users(db) == []


def test_create_user_unknown_role_is_refused(db):
    with pytest.raises(store.AccountError, match="Onbekende rol"):
        store.create_user(db, "bert", PASSWORD, "baas")
    assert store.list_users(db) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "minstens 12 tekens"),
        ("elf tekens!", "minstens 12 tekens"),
        (None, "minstens 12 tekens"),
        ("aaaaaaaaaaaaaaaa", "te eenvoudig"),
        ("abcabcabcabcabc", "te eenvoudig"),
        ("x" * 100 + "abcdefghijklmnopqrstuvwxyz" * 7, "hooguit 256 tekens"),
    ],
)
def test_password_policy_refuses_in_dutch(db, password, message):
    with pytest.raises(passwords.WeakPassword, match=message):
        store.create_user(db, "bert", password, "admin")
    assert store.list_users(db) == []


def test_password_policy_accepts_twelve_varied_characters():
    passwords.check_policy("twaalf tekst")


def test_authenticate_right_password_returns_the_user(db, user_id):
    user = store.authenticate(db, "anna", PASSWORD)
    assert user["id"] == user_id


def test_authenticate_is_not_yet_a_login(db, user_id):
    # The second factor may still follow: only record_login notes the time.
    store.authenticate(db, "anna", PASSWORD)
    assert store.get_user(db, user_id)["last_login_at"] is None
    store.record_login(db, user_id)
    assert store.get_user(db, user_id)["last_login_at"] is not None


@pytest.mark.parametrize(
    ("name", "password"),
    [("anna", "verkeerd wachtwoord"), ("anna", ""), ("anna", None), ("niemand", PASSWORD),
     (None, PASSWORD), ("anna", PASSWORD.upper())],
)  # fmt: skip
def test_authenticate_wrong_input_returns_none(db, user_id, name, password):
    assert store.authenticate(db, name, password) is None


def test_authenticate_inactive_user_returns_none(db, user_id):
    db.table("users").update(user_id, {"active": 0})
    assert store.authenticate(db, "anna", PASSWORD) is None


def test_authenticate_upgrades_an_outdated_hash(db, user_id):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1).hash(PASSWORD)
    db.table("users").update(user_id, {"password_hash": weak})
    assert store.authenticate(db, "anna", PASSWORD) is not None
    upgraded = store.get_user(db, user_id)["password_hash"]
    assert upgraded != weak and not passwords.needs_rehash(upgraded)


def test_verify_password_odd_hash_is_false_not_an_error():
    assert passwords.verify_password("not-a-hash", PASSWORD) is False


def test_change_password_new_works_old_does_not(db, user_id):
    store.change_password(db, user_id, "een nieuw wachtwoord")
    assert store.authenticate(db, "anna", PASSWORD) is None
    assert store.authenticate(db, "anna", "een nieuw wachtwoord") is not None


def test_change_password_raises_the_epoch_and_deletes_tokens(db, user_id):
    token = store.create_token(db, user_id, "script")
    epoch = store.get_user(db, user_id)["auth_epoch"]
    store.change_password(db, user_id, "een nieuw wachtwoord")
    assert store.get_user(db, user_id)["auth_epoch"] == epoch + 1
    assert store.list_tokens(db, user_id) == []
    assert store.user_for_token(db, token) is None


def test_change_password_weak_changes_nothing(db, user_id):
    store.create_token(db, user_id, "script")
    before = dump(db)
    with pytest.raises(passwords.WeakPassword):
        store.change_password(db, user_id, "kort")
    assert dump(db) == before


# API tokens


def test_create_token_is_stored_only_as_a_hash(db, user_id):
    token = store.create_token(db, user_id, "script")
    assert token.startswith("mwt_") and len(token) > 40
    assert token not in dump(db)
    (row,) = store.list_tokens(db, user_id)
    assert row["name"] == "script" and row["hint"] == token[-4:]
    assert "token_hash" not in row


def test_create_token_each_is_different(db, user_id):
    assert store.create_token(db, user_id, "een") != store.create_token(db, user_id, "twee")


@pytest.mark.parametrize("name", ["", "   ", None, "x" * 81])
def test_create_token_bad_name_is_refused_in_dutch(db, user_id, name):
    with pytest.raises(store.AccountError, match="naam"):
        store.create_token(db, user_id, name)
    assert store.list_tokens(db, user_id) == []


def test_user_for_token_finds_the_owner_and_records_use(db, user_id):
    token = store.create_token(db, user_id, "script")
    assert store.user_for_token(db, token)["id"] == user_id
    assert store.list_tokens(db, user_id)[0]["last_used_at"] is not None


@pytest.mark.parametrize("token", ["", "mwt_", "mwt_onbekend", "geen-prefix", None, 5])
def test_user_for_token_unknown_is_none(db, user_id, token):
    store.create_token(db, user_id, "script")
    assert store.user_for_token(db, token) is None


def test_user_for_token_inactive_user_is_none(db, user_id):
    token = store.create_token(db, user_id, "script")
    db.table("users").update(user_id, {"active": 0})
    assert store.user_for_token(db, token) is None


def test_revoke_token_own_token(db, user_id):
    token = store.create_token(db, user_id, "script")
    (row,) = store.list_tokens(db, user_id)
    assert store.revoke_token(db, user_id, row["id"]) is True
    assert store.user_for_token(db, token) is None
    assert store.revoke_token(db, user_id, row["id"]) is False


def test_revoke_token_of_another_user_is_refused(db, user_id):
    other = store.create_user(db, "bert", PASSWORD, "admin")
    token = store.create_token(db, other, "van bert")
    (row,) = store.list_tokens(db, other)
    assert store.revoke_token(db, user_id, row["id"]) is False
    assert store.user_for_token(db, token)["id"] == other


def test_list_tokens_newest_first(db, user_id):
    for name in ("een", "twee", "drie"):
        store.create_token(db, user_id, name)
    assert [row["name"] for row in store.list_tokens(db, user_id)] == ["drie", "twee", "een"]
