def test_family_list_needs_login(client):
    response = client.get("/gezinnen/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_family_list_shows_families_when_logged_in(login):
    client = login("facilitator")
    html = client.get("/gezinnen/").get_data(as_text=True)
    assert "Het Testgezin" in html and "Het Andere Gezin" in html
