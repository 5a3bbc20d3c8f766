"""Behind a reverse proxy: the client's own address counts, never a forged one."""

import pytest

from app import create_app
from audit import store as audit_store
from core.web import get_db
from tests.conftest import make_app
from tests.test_accounts_ratelimit import log_entries
from tests.test_accounts_views import post_login

WRONG = "niet het goede wachtwoord"


def proxied_app(tmp_path, monkeypatch, proxies):
    monkeypatch.setenv("MAATWERKTAFEL_PROXIES", proxies)
    return make_app(tmp_path / "proxy.db")


def via_proxy(app, client_address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.254"  # the proxy
    client.environ_base["HTTP_X_FORWARDED_FOR"] = client_address
    client.environ_base["HTTP_X_FORWARDED_PROTO"] = "https"
    # Seen as HTTPS (the proxy said so), the CSRF check also wants a same-site Referer.
    client.environ_base["HTTP_REFERER"] = "https://localhost/login"
    return client


def test_behind_one_proxy_each_client_has_its_own_address_limit(tmp_path, monkeypatch):
    app = proxied_app(tmp_path, monkeypatch, "1")
    app.config["RATELIMIT_LOGIN_PER_ADDRESS"] = "2 per 10 minutes"
    app.config["RATELIMIT_LOGIN_PER_ACCOUNT"] = "100 per 10 minutes"
    for _ in range(2):
        post_login(via_proxy(app, "192.0.2.7"), password=WRONG)
    assert post_login(via_proxy(app, "192.0.2.7")).status_code == 429
    # Another client behind the same proxy is not locked out with the first.
    assert post_login(via_proxy(app, "192.0.2.8")).status_code in (200, 302, 303)
    assert any("192.0.2.7" in (row["access_point"] or "") for row in log_entries(app))


def test_without_the_setting_forwarded_headers_are_ignored(tmp_path, monkeypatch):
    app = proxied_app(tmp_path, monkeypatch, "0")
    post_login(via_proxy(app, "192.0.2.7"), password=WRONG)
    with app.app_context():
        channels = [row["access_point"] or "" for row in audit_store.entries(get_db())]
    assert channels and not any("192.0.2.7" in c for c in channels)
    assert any("10.0.0.254" in c for c in channels)


def test_a_wrong_proxies_setting_stops_the_app_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("MAATWERKTAFEL_PROXIES", "twee")
    with pytest.raises(RuntimeError, match="MAATWERKTAFEL_PROXIES must be a number"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "x.db")})


def test_https_at_the_proxy_counts_as_https(tmp_path, monkeypatch):
    app = proxied_app(tmp_path, monkeypatch, "1")
    assert "Strict-Transport-Security" in via_proxy(app, "192.0.2.9").get("/login").headers
    plain = app.test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
