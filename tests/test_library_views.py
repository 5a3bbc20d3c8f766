"""The library pages and the family routes, through the test client."""

import pytest

from cases import store as cases_store
from library import catalogue, deidentify, publications, tries, views
from tests.conftest import HTMX, LoggedIn
from tests.test_library_store import fake_deidentify, give_consent, publish_some

RESULTS = {**HTMX, "HX-Target": views.RESULTS_ID}


@pytest.fixture
def library(db):
    publish_some(db)
    return {e["title"]: e["id"] for e in catalogue.search(db)}


def test_logged_out_is_sent_to_the_login(client, library):
    for url in ("/bibliotheek/", f"/bibliotheek/{library['Oplossing test-gezin']}"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["facilitator", "professional", "project_lead", "admin",
                                  "buitenstaander"])  # fmt: skip
def test_every_role_reads_the_library(login, library, role):
    client = login(role)
    page = client.get("/bibliotheek/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<html" in html and "Oplossing test-gezin" in html
    # Never a family code or its title in the library.
    assert "/gezinnen/test-gezin" not in html and "Het Testgezin" not in html
    entry = client.get(f"/bibliotheek/{library['Oplossing test-gezin']}")
    assert entry.status_code == 200


def test_active_search_answers_the_results_fragment(login, library):
    client = login("professional")
    response = client.get("/bibliotheek/?q=leasepaard", headers=RESULTS)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="{views.RESULTS_ID}"' in html
    assert "Oplossing test-gezin" in html and "Oplossing ander-gezin" not in html
    assert "HX-Request" in response.headers["Vary"]
    # Boosted navigation or a history restore gets the whole page.
    page = client.get("/bibliotheek/?q=leasepaard", headers=HTMX)
    assert "<html" in page.get_data(as_text=True)


def test_the_page_has_the_active_search_and_filters(login, library):
    html = login("professional").get("/bibliotheek/").get_data(as_text=True)
    assert 'hx-trigger="search, keyup delay:200ms changed"' in html
    assert 'hx-push-url="true"' in html
    for key in views.FILTERS:
        assert f'name="{key}"' in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("problem=debts", "Oplossing ander-gezin", "Oplossing test-gezin"),
        ("partner=municipality", "Oplossing derde-gezin", "Oplossing ander-gezin"),
        ("component=leasepaard", "Oplossing test-gezin", "Oplossing derde-gezin"),
        ("outcome=partly", "Oplossing ander-gezin", "Oplossing derde-gezin"),
        ("q=budget&goal=family_strengthening", "Oplossing ander-gezin", "Oplossing test-gezin"),
    ],
)
def test_filters(login, library, query, shown, hidden):
    html = (
        login("professional").get(f"/bibliotheek/?{query}", headers=RESULTS).get_data(as_text=True)
    )
    assert shown in html and hidden not in html


def test_an_unknown_filter_value_is_ignored(login, library):
    html = login().get("/bibliotheek/?outcome=<script>", headers=RESULTS).get_data(as_text=True)
    assert "Oplossing test-gezin" in html and "<script>" not in html


def test_empty_search_says_so(login, library):
    html = login().get("/bibliotheek/?q=zzzzqqq", headers=RESULTS).get_data(as_text=True)
    assert "Geen oplossingen gevonden" in html


def test_solution_page_shows_what_where_how_and_similar(login, library):
    html = (
        login("professional")
        .get(f"/bibliotheek/{library['Oplossing test-gezin']}")
        .get_data(as_text=True)
    )
    assert "Wat er is gedaan" in html and "leasepaard" in html
    assert "informeel netwerk" in html  # partner label
    assert "trauma" in html
    assert "werkte" in html
    # The library's tags read as marked words, not brackets.
    assert "De situatie" in html and "[PERSOON-1] woont" not in html
    assert (
        '<span class="redacted" title="Geanonimiseerd ([PERSOON-1])">Persoon 1</span> woont in'
        ' <span class="redacted" title="Geanonimiseerd ([LOCATIE-1])">plaats 1</span>.'
    ) in html
    assert "In vergelijkbare situaties" in html and "Oplossing derde-gezin" in html
    # The finder chose them, and says why: never the entry's own case.
    similar = html[html.index("In vergelijkbare situaties") :]
    assert "brengt in wat ontbreekt" in similar or "beide" in similar
    assert "Oplossing test-gezin" not in similar.split("</section>")[0]


def test_unknown_entry_is_404(login, library):
    assert login("professional").get("/bibliotheek/99999").status_code == 404


def test_publish_without_consent_is_422_and_stores_nothing(login, db):
    client = login("facilitator")
    response = client.post("/gezinnen/test-gezin/bibliotheek/publiceren", headers=HTMX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Niet gepubliceerd" in html and "instemming" in html
    assert "<html" not in html
    assert db.execute("SELECT count(*) FROM library_publications").fetchone()[0] == 0
    page = client.post("/gezinnen/test-gezin/bibliotheek/publiceren")
    assert page.status_code == 422 and "<html" in page.get_data(as_text=True)


def test_publish_is_pending_then_processed(login, db, monkeypatch):
    started = []
    monkeypatch.setattr(views.worker, "start", lambda *args: started.append(args))
    give_consent(db)
    client = login("facilitator")
    response = client.post("/gezinnen/test-gezin/bibliotheek/publiceren", headers=HTMX)
    assert response.status_code == 200
    assert "wacht op verwerking" in response.get_data(as_text=True)
    assert 'hx-trigger="every 3s"' in response.get_data(as_text=True)
    assert started == []  # TESTING: no background process; the test processes itself
    family = cases_store.family_row(db, "test-gezin")
    assert publications.latest_publication(db, family["id"])["status"] == publications.PENDING
    publications.process_pending(db, fake_deidentify)
    block = client.get("/gezinnen/test-gezin/bibliotheek", headers=HTMX)
    html = block.get_data(as_text=True)
    assert "gepubliceerd" in html and "every 3s" not in html
    assert "oplossing 1" in html


def test_publish_starts_the_worker_outside_tests(login, db, monkeypatch, app):
    started = []
    monkeypatch.setattr(views.worker, "start", lambda *args: started.append(args))
    app.config["LIBRARY_BACKGROUND"] = True
    give_consent(db)
    response = login("facilitator").post("/gezinnen/test-gezin/bibliotheek/publiceren")
    assert response.status_code == 303
    assert started and started[0][0] == app.config["DATABASE"]


@pytest.mark.parametrize("role", ["professional", "buitenstaander", "project_lead"])
def test_publish_is_for_the_facilitator_only(login, role):
    response = login(role).post("/gezinnen/test-gezin/bibliotheek/publiceren")
    assert response.status_code == 403


def test_outsider_gets_403_on_the_family_routes(login, library):
    client = login("buitenstaander")
    entry = library["Oplossing ander-gezin"]
    assert client.get("/gezinnen/test-gezin/bibliotheek").status_code == 403
    response = client.post(f"/gezinnen/test-gezin/bibliotheek/{entry}/proberen",
                           data={"owner": "X"})  # fmt: skip
    assert response.status_code == 403


def test_we_proberen_dit_links_the_solution_with_an_action(login, library, db):
    entry = library["Oplossing ander-gezin"]
    client = login("professional")
    page = client.get(f"/bibliotheek/{entry}?gezin=test-gezin").get_data(as_text=True)
    assert "We proberen dit" in page and "Het Testgezin" in page
    response = client.post(
        f"/gezinnen/test-gezin/bibliotheek/{entry}/proberen",
        data={"owner": "Jeugdbeschermer", "title": ""},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Vastgelegd" in response.get_data(as_text=True)
    family = cases_store.family_row(db, "test-gezin")
    tried = tries.tried_for(db, family["id"])
    assert tried[0]["entry_id"] == entry and tried[0]["action_owner"] == "Jeugdbeschermer"
    assert tried[0]["action_title"] == "Proberen: Oplossing ander-gezin"


def test_we_proberen_dit_without_owner_is_422(login, library, db):
    entry = library["Oplossing ander-gezin"]
    response = login("professional").post(
        f"/gezinnen/test-gezin/bibliotheek/{entry}/proberen", data={"owner": ""}, headers=HTMX
    )
    assert response.status_code == 422
    assert "Vul in wie dit oppakt" in response.get_data(as_text=True)
    family = cases_store.family_row(db, "test-gezin")
    assert tries.tried_for(db, family["id"]) == []


def test_we_proberen_dit_on_an_unknown_entry_is_404(login, library):
    response = login("professional").post(
        "/gezinnen/test-gezin/bibliotheek/99999/proberen", data={"owner": "X"}
    )
    assert response.status_code == 404


def test_the_family_choice_lists_only_own_families(app, login, library):
    entry = library["Oplossing ander-gezin"]
    html = login("professional").get(f"/bibliotheek/{entry}").get_data(as_text=True)
    assert "Voor welk gezin" in html and "Het Testgezin" in html
    assert "Het Andere Gezin" not in html
    # A family the user is not on the team of is not offered, even when asked for.
    html = (
        LoggedIn(app.test_client(), "professional")
        .get(f"/bibliotheek/{entry}?gezin=ander-gezin")
        .get_data(as_text=True)
    )
    assert "Het Andere Gezin" not in html


def test_the_publish_partial_renders_for_the_family_page(app, login, db):
    give_consent(db)
    html = (
        login("facilitator")
        .get("/gezinnen/test-gezin/bibliotheek", headers=HTMX)
        .get_data(as_text=True)
    )
    assert "Instemming voor geanonimiseerd delen in de oplossingenbibliotheek is compleet" in html
    assert "Publiceren in de bibliotheek" in html


def test_library_cli_process_and_publish(app, db, runner, monkeypatch):
    give_consent(db)
    monkeypatch.setattr(deidentify, "deidentify_case", fake_deidentify)
    result = runner.invoke(args=["library", "publish", "test-gezin"])
    assert result.exit_code == 0, result.output
    assert "published, 1 solution" in result.output
    refused = runner.invoke(args=["library", "publish", "ander-gezin"])
    assert refused.exit_code != 0 and "instemming" in refused.output
    assert runner.invoke(args=["library", "publish", "bestaat-niet"]).exit_code != 0
    family = cases_store.family_row(db, "test-gezin")
    publications.request_publication(db, family, cases_store.load_case(db, "test-gezin"), None)
    result = runner.invoke(args=["library", "process"])
    assert result.exit_code == 0, result.output
    assert "1 gepubliceerd" in result.output


def test_no_request_uses_deduce(login, library, db, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("deduce used in a web request")

    monkeypatch.setattr(deidentify, "get_deduce", refuse)
    monkeypatch.setattr(deidentify, "deidentify_case", refuse)
    give_consent(db)
    client = login("facilitator")
    entry = library["Oplossing test-gezin"]
    assert client.get("/bibliotheek/?q=paard").status_code == 200
    assert client.get(f"/bibliotheek/{entry}").status_code == 200
    assert client.post("/gezinnen/test-gezin/bibliotheek/publiceren").status_code == 303
    page = client.get("/gezinnen/test-gezin/bibliotheek")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)


# Paging ("Meer tonen") and the filters in the URL --------------------------------------

MORE = {**HTMX, "HX-Target": views.MORE_ID}


@pytest.fixture
def one_a_page(monkeypatch, library):
    monkeypatch.setattr(catalogue, "PAGE_SIZE", 1)
    return library


def titles(html):
    return [t for t in ("test-gezin", "ander-gezin", "derde-gezin") if f"Oplossing {t}" in html]


def test_the_first_page_links_to_more_keeping_the_query_and_filters(login, one_a_page):
    html = login().get("/bibliotheek/?q=Samenvatting&problem=housing").get_data(as_text=True)
    assert len(titles(html)) == 1
    assert "2 oplossingen van de 3" in html
    assert f'id="{views.MORE_ID}"' in html
    # A link without JavaScript, the same URL for htmx; query and filters kept.
    more = "/bibliotheek/?q=Samenvatting&amp;problem=housing&amp;pagina=2"
    assert f'href="{more}"' in html and f'hx-get="{more}"' in html
    assert "1 van de 2 getoond" in html


def test_more_answers_the_next_page_only(login, one_a_page):
    client = login()
    first = titles(client.get("/bibliotheek/", headers=RESULTS).get_data(as_text=True))
    response = client.get("/bibliotheek/?pagina=2", headers=MORE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "<section" not in html and "<ol" not in html
    assert len(titles(html)) == 1 and titles(html) != first
    assert "pagina=3" in html and "2 van de 3 getoond" in html
    assert "HX-Target" in response.headers["Vary"]
    last = client.get("/bibliotheek/?pagina=3", headers=MORE).get_data(as_text=True)
    assert len(titles(last)) == 1 and views.MORE_ID not in last


def test_a_page_url_shows_every_page_up_to_it(login, one_a_page):
    """A reload after "Meer tonen" (the URL has pagina=2) shows what was shown."""
    html = login().get("/bibliotheek/?pagina=2").get_data(as_text=True)
    assert len(titles(html)) == 2 and "pagina=3" in html


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999"])
def test_an_odd_page_number_is_a_page(login, one_a_page, page):
    response = login().get(f"/bibliotheek/?pagina={page}")
    assert response.status_code == 200
    assert titles(response.get_data(as_text=True))


def test_twenty_a_page_by_default(login, library):
    assert catalogue.PAGE_SIZE == 20
    html = login().get("/bibliotheek/").get_data(as_text=True)
    assert views.MORE_ID not in html  # three entries: one page


@pytest.mark.parametrize("spelling", ["leasepaard", "LEASEPAARD", "Lease-paard", "leasepaarden"])
def test_a_component_in_any_spelling_filters(login, library, spelling):
    html = (
        login().get(f"/bibliotheek/?component={spelling}", headers=RESULTS).get_data(as_text=True)
    )
    assert titles(html) == ["test-gezin"]


def test_the_component_list_holds_the_most_used_and_the_chosen(login, library, monkeypatch):
    monkeypatch.setattr(catalogue, "COMMON_COMPONENTS", 1)
    client = login()
    html = client.get("/bibliotheek/").get_data(as_text=True)
    select = html[
        html.index('id="filter-component"') : html.index(
            "</select>", html.index('id="filter-component"')
        )
    ]
    assert select.count("<option value=") == 2 + 1  # "all", the most used one, "type it"
    assert "typ het woord bij Zoeken" in select
    html = client.get("/bibliotheek/?component=kamer").get_data(as_text=True)
    select = html[
        html.index('id="filter-component"') : html.index(
            "</select>", html.index('id="filter-component"')
        )
    ]
    assert '<option value="kamer" selected>kamer</option>' in select


def test_search_says_which_words_an_entry_lacks(login, library):
    html = (
        login()
        .get("/bibliotheek/?q=leasepaard+budgetcoach", headers=RESULTS)
        .get_data(as_text=True)
    )
    assert set(titles(html)) == {"test-gezin", "ander-gezin"}
    assert "Niet gevonden in deze oplossing: budgetcoach" in html
    assert "Niet gevonden in deze oplossing: leasepaard" in html
