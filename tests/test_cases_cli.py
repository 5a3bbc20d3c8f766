"""The command line: ``db init``, ``cases import/export/list``, ``users create``, ``demo load``."""

import json
import pathlib

import pytest

from accounts import store as accounts_store
from accounts.roles import ROLES
from app import create_app
from cases import store
from cases.validation import canonical_case, validate_case
from core.web import get_db
from tests.factories import make_case

DEMO = pathlib.Path(__file__).resolve().parents[1] / "data" / "demo"
STRONG = "een lang en sterk wachtwoord"


def dump(app):
    with app.app_context():
        return "\n".join(get_db().conn.iterdump())


def stored(app, code):
    with app.app_context():
        return store.load_case(get_db(), code)


def write(tmp_path, data, name="cases.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


# db init


def test_db_init_twice_is_idempotent(app, runner):
    before = dump(app)
    for _ in range(2):
        result = runner.invoke(args=["db", "init"])
        assert result.exit_code == 0, result.output
        assert "database ready" in result.output
    assert dump(app) == before


def test_db_init_creates_a_new_database(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "new.db")})
    result = app.test_cli_runner().invoke(args=["db", "init"])
    assert result.exit_code == 0
    with app.app_context():
        assert "families" in get_db().table_names()
        assert "users" in get_db().table_names()


# cases import


def test_import_good_file_stores_the_case(app, runner, tmp_path):
    doc = make_case("nieuw-gezin")
    result = runner.invoke(args=["cases", "import", write(tmp_path, doc)])
    assert result.exit_code == 0, result.output
    assert "imported 1 case(s): nieuw-gezin" in result.output
    assert stored(app, "nieuw-gezin") == canonical_case(doc)


def test_import_list_stores_every_case(app, runner, tmp_path):
    docs = [make_case("een"), make_case("twee"), make_case("drie")]
    result = runner.invoke(args=["cases", "import", write(tmp_path, docs)])
    assert result.exit_code == 0, result.output
    assert "imported 3 case(s): een, twee, drie" in result.output
    for doc in docs:
        assert stored(app, doc["code"]) == canonical_case(doc)


def test_import_bad_file_names_every_problem_and_stores_nothing(app, runner, tmp_path):
    second = make_case("twee", started="2020-02-30")
    second["persons"][2]["sex"] = "man"
    third = make_case("drie", goal="weg")
    third["network"][0]["ties"][0]["person"] = "p9"
    docs = [make_case("een"), second, third]
    before = dump(app)
    result = runner.invoke(args=["cases", "import", write(tmp_path, docs)])
    assert result.exit_code != 0
    expected = [
        "[1].started: '2020-02-30' is not a date in the form YYYY-MM-DD",
        "[1].persons[2].sex: 'man' is not one of female, male, other, unknown",
        "[2].goal: 'weg' is not one of return_home, family_strengthening, as_home_as_possible",
        "[2].network[0].ties[0].person: 'p9' is not the id of a person in this case",
    ]
    for problem in expected:
        assert problem in result.output
    assert "4 problems" in result.output and "nothing was stored" in result.output
    assert dump(app) == before


def test_import_bad_single_case_uses_the_validation_strings(app, runner, tmp_path):
    doc = make_case("nieuw-gezin", status="open", colour="rood")
    result = runner.invoke(args=["cases", "import", write(tmp_path, doc)])
    assert result.exit_code != 0
    for problem in validate_case(doc):
        assert problem in result.output
    assert stored(app, "nieuw-gezin") is None


def test_import_code_clash_without_replace_stores_nothing(app, runner, tmp_path):
    before = dump(app)
    docs = [make_case("nieuw-gezin"), make_case("test-gezin", title="Overschreven")]
    result = runner.invoke(args=["cases", "import", write(tmp_path, docs)])
    assert result.exit_code != 0
    assert "already exists: test-gezin" in result.output
    assert "--replace" in result.output
    assert dump(app) == before


def test_import_replace_overwrites_and_keeps_the_family(app, runner, tmp_path):
    with app.app_context():
        first = store.family_row(get_db(), "test-gezin")
    doc = make_case("test-gezin", title="Overschreven")
    result = runner.invoke(args=["cases", "import", "--replace", write(tmp_path, doc)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        second = store.family_row(get_db(), "test-gezin")
    assert second["id"] == first["id"] and second["version"] == first["version"] + 1
    assert stored(app, "test-gezin") == canonical_case(doc)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{niet json", "not valid JSON"),
        ("", "not valid JSON"),
        ("[]", "expected a case object or a non-empty list"),
        ('"een casus"', "expected a case object or a non-empty list"),
        ("[" * 100_000 + "]" * 100_000, "nested 100000 levels deep, at most 64 allowed"),
        ('{"persons": ' + "[" * 70 + "]" * 70 + "}", "nested 71 levels deep, at most 64"),
        ('{"code": NaN}', "NaN is not a JSON number"),
        ("1" * 5000, "not valid JSON"),
    ],
)
def test_import_unusable_file_is_refused(app, runner, tmp_path, content, message):
    path = tmp_path / "kapot.json"
    path.write_text(content, encoding="utf-8")
    before = dump(app)
    result = runner.invoke(args=["cases", "import", str(path)])
    assert result.exit_code == 1
    # A message of the command's own (click's exit), not an exception that escaped.
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert message in result.output
    assert "Traceback" not in result.output
    assert dump(app) == before


def test_import_file_not_utf8_is_refused(app, runner, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(make_case(title="Zoë")).replace("\\u00eb", "ë").encode("latin-1"))
    result = runner.invoke(args=["cases", "import", str(path)])
    assert result.exit_code != 0
    assert "cannot read" in result.output


def test_import_missing_file_is_refused(runner, tmp_path):
    result = runner.invoke(args=["cases", "import", str(tmp_path / "bestaat-niet.json")])
    assert result.exit_code != 0
    assert "bestaat-niet.json" in result.output
    assert "cannot read" in result.output


# cases export and list


def test_export_prints_json_equal_to_load_case(app, runner):
    result = runner.invoke(args=["cases", "export", "test-gezin"])
    assert result.exit_code == 0
    assert json.loads(result.output) == stored(app, "test-gezin")


def test_export_keeps_non_ascii_text(app, runner, tmp_path):
    runner.invoke(args=["cases", "import", write(tmp_path, make_case("zoe", title="Zoë 🐴"))])
    result = runner.invoke(args=["cases", "export", "zoe"])
    assert "Zoë 🐴" in result.output
    assert json.loads(result.output)["title"] == "Zoë 🐴"


def test_export_then_import_is_a_round_trip(app, runner, tmp_path):
    exported = runner.invoke(args=["cases", "export", "test-gezin"]).output
    path = tmp_path / "export.json"
    path.write_text(exported, encoding="utf-8")
    result = runner.invoke(args=["cases", "import", "--replace", str(path)])
    assert result.exit_code == 0
    assert stored(app, "test-gezin") == json.loads(exported)


def test_export_unknown_code_exits_non_zero(runner):
    result = runner.invoke(args=["cases", "export", "bestaat-niet"])
    assert result.exit_code != 0
    assert "no case with code 'bestaat-niet'" in result.output


def test_list_json_prints_objects(runner):
    result = runner.invoke(args=["cases", "list", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert sorted(row["code"] for row in rows) == ["ander-gezin", "test-gezin"]
    for row in rows:
        assert {"code", "title", "goal", "status"} <= set(row)
    ander = next(row for row in rows if row["code"] == "ander-gezin")
    assert (ander["title"], ander["goal"], ander["status"]) == (
        "Het Andere Gezin",
        "family_strengthening",
        "active",
    )


def test_list_json_filters_by_goal(runner):
    result = runner.invoke(args=["cases", "list", "--json", "--goal", "family_strengthening"])
    assert [row["code"] for row in json.loads(result.output)] == ["ander-gezin"]


def test_list_plain_prints_one_line_per_case(runner):
    result = runner.invoke(args=["cases", "list"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert any(line.startswith("test-gezin\tHet Testgezin\t") for line in lines)


# users create


def _user(app, name):
    with app.app_context():
        return accounts_store.get_user_by_name(get_db(), name)


def test_users_create_with_password_env(app, runner):
    result = runner.invoke(
        args=["users", "create", "nieuwe", "--role", "professional", "--password-env", "PW"],
        env={"PW": STRONG},
    )
    assert result.exit_code == 0, result.output
    assert "created user nieuwe (professional)" in result.output
    user = _user(app, "nieuwe")
    assert user["role"] == "professional"
    with app.app_context():
        assert accounts_store.authenticate(get_db(), "nieuwe", STRONG) is not None


def test_users_create_with_display_name(app, runner):
    result = runner.invoke(
        args=["users", "create", "ineke", "--role", "admin", "--display-name", "Ineke de Vries",
              "--password-env", "PW"],
        env={"PW": STRONG},
    )  # fmt: skip
    assert result.exit_code == 0
    assert _user(app, "ineke")["display_name"] == "Ineke de Vries"


def test_users_create_missing_env_var_is_refused(app, runner, monkeypatch):
    monkeypatch.delenv("MWT_NO_SUCH_VAR", raising=False)
    result = runner.invoke(
        args=["users", "create", "nieuwe", "--role", "admin", "--password-env", "MWT_NO_SUCH_VAR"]
    )
    assert result.exit_code != 0
    assert "environment variable MWT_NO_SUCH_VAR is not set" in result.output
    assert _user(app, "nieuwe") is None


def test_users_create_weak_password_is_refused(app, runner):
    result = runner.invoke(
        args=["users", "create", "nieuwe", "--role", "admin", "--password-env", "PW"],
        env={"PW": "kort"},
    )
    assert result.exit_code != 0
    assert "minstens 12 tekens" in result.output
    assert _user(app, "nieuwe") is None


@pytest.mark.parametrize("name", ["facilitator", "Facilitator"])
def test_users_create_duplicate_name_is_refused(app, runner, name):
    result = runner.invoke(
        args=["users", "create", name, "--role", "admin", "--password-env", "PW"],
        env={"PW": STRONG},
    )
    assert result.exit_code != 0
    assert "bestaat al" in result.output
    assert _user(app, "facilitator")["role"] == "facilitator"


def test_users_create_unknown_role_is_refused(app, runner):
    result = runner.invoke(
        args=["users", "create", "nieuwe", "--role", "baas", "--password-env", "PW"],
        env={"PW": STRONG},
    )
    assert result.exit_code != 0
    assert "Invalid value for '--role'" in result.output
    assert "project_lead" in result.output  # the message names the valid roles
    assert _user(app, "nieuwe") is None


def test_users_create_bad_name_is_refused(app, runner):
    result = runner.invoke(
        args=["users", "create", "jan jansen", "--role", "admin", "--password-env", "PW"],
        env={"PW": STRONG},
    )
    assert result.exit_code != 0
    assert "gebruikersnaam" in result.output.lower()


def test_users_list_shows_every_user(runner):
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    assert "projectlead\tproject_lead" in result.output
    assert "buitenstaander\tfacilitator" in result.output
    # One user per role, and the facilitator on no team (tests/conftest.py).
    assert len(result.output.strip().splitlines()) == len(ROLES) + 1


# demo load


@pytest.fixture
def bare_app(tmp_path):
    """An app with an empty database, its instance folder in tmp_path, the real demo data."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "demo.db"),
         "DEMO_DATA": str(DEMO)}
    )  # fmt: skip
    app.instance_path = str(tmp_path / "instance")
    return app


def tmp_path_of(app):
    return pathlib.Path(app.config["DATABASE"]).parent


def test_demo_load_loads_every_demo_file_and_one_user_per_role(bare_app):
    files = sorted(DEMO.glob("*/*.json"))
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert f"loaded {len(files)} demo cases" in result.output
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert stored(bare_app, doc["code"]) == canonical_case(doc), path.name
    password_file = tmp_path_of(bare_app) / "demo-users.txt"
    assert oct(password_file.stat().st_mode & 0o777) == "0o600"
    passwords = dict(line.split(" ", 1) for line in password_file.read_text().splitlines())
    assert sorted(passwords) == ["admin", "facilitator", "professional", "projectlead"]
    with bare_app.app_context():
        db = get_db()
        for role in ROLES:
            name = role.replace("_", "")
            assert accounts_store.get_user_by_name(db, name)["role"] == role
            assert accounts_store.authenticate(db, name, passwords[name]) is not None
            assert passwords[name] in result.output


def test_demo_load_twice_refreshes_and_keeps_the_users(bare_app):
    runner = bare_app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    password_file = tmp_path_of(bare_app) / "demo-users.txt"
    passwords = password_file.read_text()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert password_file.read_text() == passwords
    with bare_app.app_context():
        assert len(accounts_store.list_users(get_db())) == len(ROLES)
    assert first.output == second.output


def test_demo_load_without_files_is_refused(tmp_path):
    (tmp_path / "leeg").mkdir()
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "demo.db"),
         "DEMO_DATA": str(tmp_path / "leeg")}
    )  # fmt: skip
    app.instance_path = str(tmp_path / "instance")
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "no demo cases" in result.output


def test_demo_load_bad_file_names_the_file_and_stores_nothing(tmp_path):
    folder = tmp_path / "demo" / "set"
    folder.mkdir(parents=True)
    write(folder, make_case("goed"), "a-goed.json")
    write(folder, make_case("slecht", goal="weg"), "b-slecht.json")
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "demo.db"),
         "DEMO_DATA": str(tmp_path / "demo")}
    )  # fmt: skip
    app.instance_path = str(tmp_path / "instance")
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "b-slecht.json: [1].goal: 'weg'" in result.output
    assert stored(app, "goed") is None


# demo ensure (make run)


def test_demo_ensure_loads_a_new_database_and_later_keeps_what_was_changed(bare_app):
    runner = bare_app.test_cli_runner()
    first = runner.invoke(args=["demo", "ensure"])
    assert first.exit_code == 0, first.output
    assert "demo data incomplete (54 of 54 demo cases absent): loading it" in first.output
    assert "demo library: 44 closed cases published" in first.output
    changed = {**stored(bare_app, "verzorgpaard"), "narrative": "Na het overleg bijgewerkt."}
    with bare_app.app_context():
        store.save_case(get_db(), changed, replace=True)
    second = runner.invoke(args=["demo", "ensure"])
    assert second.exit_code == 0, second.output
    assert "demo data present" in second.output
    assert "loaded" not in second.output
    assert stored(bare_app, "verzorgpaard")["narrative"] == "Na het overleg bijgewerkt."
    passwords = (tmp_path_of(bare_app) / "demo-users.txt").read_text().splitlines()
    for line in passwords:  # the demo passwords are shown at every start
        name, _, password = line.partition(" ")
        assert f"{name:<14} {password}" in second.output


def test_demo_ensure_loads_again_when_a_demo_family_is_gone(bare_app):
    runner = bare_app.test_cli_runner()
    runner.invoke(args=["demo", "ensure"])
    with bare_app.app_context():
        store.delete_case(get_db(), "verzorgpaard")
    result = runner.invoke(args=["demo", "ensure"])
    assert result.exit_code == 0, result.output
    assert "(1 of 54 demo cases absent): loading it" in result.output
    assert stored(bare_app, "verzorgpaard") is not None
