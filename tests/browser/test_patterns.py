"""The cohort dashboard in a real browser: open it as project lead, filter by region,
download a CSV."""

import csv
import io
import pathlib
import re

from playwright.sync_api import expect


def test_project_lead_filters_the_dashboard_and_downloads_a_csv(log_in):
    page = log_in("project_lead")
    page.get_by_role("link", name="Patronen").click()
    expect(page.get_by_role("heading", name="Patronen in het cohort")).to_be_visible()
    size = page.locator("#cohort-size")
    expect(size).to_contain_text("10 gezinnen")
    # Chart.js drew the charts (served by the app itself, no inline code).
    expect(page.locator("#tabel-now canvas[data-drawn='1']")).to_have_count(1)
    assert page.evaluate("Object.keys(window.Chart.instances).length") >= 5

    page.get_by_label("Regio").select_option("Noord")
    expect(page).to_have_url(re.compile(r"region=Noord"))
    expect(size).to_contain_text("1 gezin in deze selectie")
    # The charts of the swapped-in content are drawn too.
    expect(page.locator("#tabel-now canvas[data-drawn='1']")).to_have_count(1)

    shown = page.locator("table[data-table='problems'] tbody tr").all_inner_texts()
    block = page.locator("#tabel-problems")
    # First the file for Dutch Excel (semicolons, byte order mark), then plain commas.
    with page.expect_download() as info:
        block.get_by_role("link", name="CSV voor Excel: hoe vaak elk probleem voorkomt").click()
    excel = info.value
    assert excel.suggested_filename == "patronen-problems-excel.csv"
    raw = pathlib.Path(excel.path()).read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Probleem", "Gezinnen", "Van het cohort"]
    assert [r[0] for r in rows[1:]] == [text.split("\t")[0] for text in shown]
    assert all(row[1] == "1" for row in rows[1:])  # one family in Noord
    with page.expect_download() as info:
        block.get_by_role("link", name="CSV met komma's").click()
    plain = info.value
    assert plain.suggested_filename == "patronen-problems.csv"
    text = pathlib.Path(plain.path()).read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text))) == rows
