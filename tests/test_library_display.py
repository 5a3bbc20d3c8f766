"""Library text with its de-identification tags made readable (pure, and as markup)."""

from library.display import readable, segments
from library.templating import deidentified


def test_a_person_tag_reads_as_the_role_the_case_gives_it():
    text = "Daarna belde [PERSOON-3] de school."
    assert readable(text, {"PERSOON-3": "Vader"}) == "Daarna belde vader de school."


def test_a_tag_at_the_start_of_a_sentence_gets_a_capital():
    text = "[PERSOON-1] is 14. [PERSOON-2] werkt. Zij: [PERSOON-1]"
    tags = {"PERSOON-1": "Indexkind", "PERSOON-2": "moeder"}
    assert readable(text, tags) == "Indexkind is 14. Moeder werkt. Zij: Indexkind"


def test_unknown_persons_places_and_institutions_keep_their_number_dates_do_not():
    text = "[PERSOON-4] ging op [DATUM-1] van [LOCATIE-2] naar [INSTELLING-1]; bel "
    text += "[TELEFOONNUMMER-1]."
    assert readable(text) == (
        "Persoon 4 ging op datum van plaats 2 naar instelling 1; bel telefoonnummer."
    )


def test_segments_keep_the_original_tag_for_the_marking():
    assert segments("bij [LOCATIE-1]") == [("bij ", None), ("plaats 1", "LOCATIE-1")]
    assert segments("") == [] and segments(None) == []
    assert segments("geen tags [PERSOON]") == [("geen tags [PERSOON]", None)]


def test_the_markup_escapes_the_text_around_the_tags():
    html = str(deidentified("<b>[PERSOON-1]</b> & co", {"PERSOON-1": '"><script>'}))
    assert "<b>" not in html and "<script>" not in html
    assert html.startswith('&lt;b&gt;<span class="redacted"')
    assert "&amp; co" in html


def test_a_role_the_text_already_names_is_not_said_twice():
    tags = {"PERSOON-4": "Opa (moeder)", "PERSOON-2": "Moeder"}
    text = "Moeder [PERSOON-2] belde opa [PERSOON-4] op."
    assert readable(text, tags) == "Moeder belde opa op."
    assert segments(text, tags)[0] == ("Moeder", "PERSOON-2")
    # Only a whole word counts: "grootmoeder [PERSOON-2]" keeps both.
    assert readable("grootmoeder [PERSOON-2]", tags) == "grootmoeder moeder"
    assert readable("zijn zusje [PERSOON-5] lachte", {"PERSOON-5": "Zus"}) == "zijn zusje lachte"


def test_a_generic_family_role_gives_way_to_the_kin_word_of_the_text():
    tags = {"PERSOON-5": "Familielid"}
    assert readable("oom [PERSOON-5] en [PERSOON-5]", tags) == "oom en familielid"


def test_a_person_without_a_role_reads_as_the_kin_word_before_it():
    assert readable("oom [PERSOON-7] en tante [PERSOON-8] kwamen") == "oom en tante kwamen"
    # Without a kin word the numbered fallback stays, so persons remain apart.
    assert readable("met [PERSOON-8] gesproken") == "met persoon 8 gesproken"
