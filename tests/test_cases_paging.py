"""How many rows of a family's long lists the page shows (cases/paging.py)."""

from cases.paging import PAGE_SIZE, next_page, relation_rows, rows_shown


def test_a_short_list_shows_whole():
    assert rows_shown(7) == 7


def test_a_long_list_shows_one_page():
    assert rows_shown(10_000) == PAGE_SIZE


def test_the_url_may_ask_for_more_rows_never_more_than_there_are():
    assert rows_shown(10_000, asked=3 * PAGE_SIZE) == 3 * PAGE_SIZE
    assert rows_shown(120, asked=500) == 120
    assert rows_shown(10_000, asked=-5) == PAGE_SIZE
    assert rows_shown(10_000, asked="many") == PAGE_SIZE


def test_a_kept_row_far_down_shows_with_the_page_that_holds_it():
    assert rows_shown(10_000, keep=[PAGE_SIZE * 3 + 1]) == PAGE_SIZE * 4
    assert rows_shown(10_000, keep=[3]) == PAGE_SIZE


def test_next_page_runs_to_the_end_of_the_list():
    assert next_page(120, 50) == (50, 100, 100)
    assert next_page(120, 100) == (100, 120, None)
    assert next_page(120, 500) == (120, 120, None)
    assert next_page(120, -3) == (0, 50, 50)


def test_relation_rows_keep_each_relations_index_per_kind():
    relations = [
        {"kind": "parent"},
        {"kind": "couple"},
        {"kind": "parent"},
        {"kind": "emotional"},
    ]
    rows = relation_rows(relations)
    assert [i for i, _ in rows["parent"]] == [0, 2]
    assert [i for i, _ in rows["couple"]] == [1]
    assert [i for i, _ in rows["emotional"]] == [3]
    assert relation_rows([]) == {"couple": [], "parent": [], "emotional": []}
