"""Post-OCR correction against the document, the register and a word list."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.ocr.correct import correct_pages
from pipeline.ocr.words import Line, PageText, Word


@pytest.fixture
def word_list(tmp_path):
    path = tmp_path / "words"
    path.write_text("\n".join(["northern", "ministry", "during", "civilians", "general", "cramp", "clamp", "nation", "forced", "counted", "camps", "august", "ministry",
                               "Shinto", "Sasha", "same", "sashes"]) + "\n")
    return str(path)


def page(*texts: str, conf: float = 80) -> PageText:
    return PageText([Line((0, 0, 10, 10), [Word(t, (0, 0, 10, 10), conf) for t in texts], 1)])


def corrected(pages: list[PageText], word_list: str) -> tuple[list[str], int]:
    n = correct_pages(pages, word_list)
    return [w.text for p in pages for w in p.words], n


def test_misread_words_become_the_known_word_an_ocr_slip_away(word_list):
    words, n = corrected([page("the", "Northem", "Mintstry’s", "troops", "dunng", "(civihans),")], word_list)
    assert words == ["the", "Northern", "Ministry’s", "troops", "during", "(civilians),"]
    assert n == 4


def test_register_names_correct_capitalised_words(word_list):
    words, _ = corrected([page("in", "Manchuna", "and", "Sakhalim")], word_list)
    assert words == ["in", "Manchuria", "and", "Sakhalin"]


def test_names_read_surely_in_the_document_correct_their_slips(word_list):
    sure = page("Zarnitsa", "sailed", "Zarnitsa", conf=96)
    words, _ = corrected([sure, page("the", "Zamitsa", "and", "Zarnitsa")], word_list)
    assert words[-3:] == ["Zarnitsa", "and", "Zarnitsa"]


def test_words_are_left_as_read_when_unsure(word_list):
    pages = [page("cxamp"),  # cramp and clamp are both one letter away: no choice is made
             page("Shinko", "sashe"),  # proper nouns of the word list are never guessed
             page("Horonai", "Taito"),  # unknown names with nothing near them; short ones only by substitution
             page("Yerinsi", conf=97),  # read with near certainty
             page("combi-", "nalion", "tn")]  # both parts of a word broken at the line end; a short word
    words, n = corrected(pages, word_list)
    assert words == ["cxamp", "Shinko", "sashe", "Horonai", "Taito", "Yerinsi", "combi-", "nalion", "tn"] and n == 0


def test_without_a_word_list_the_document_and_register_still_count(tmp_path):
    words, _ = corrected([page("dunng", "Manchuna")], str(tmp_path / "missing"))
    assert words == ["dunng", "Manchuria"]


def test_a_stray_capital_mid_sentence_is_lowered_when_common_or_read_in_lower_case_elsewhere(word_list):
    sure = page("labor", "camps", "and", "labor", conf=96)
    text = page("forced", "Labor.", "The", "Health,", "Labor", "and", "Welfare", "Ministry", "counted", "Labor",
                "to", "Ministry", "since", "August", "in", "Camps", "and")
    words, _ = corrected([sure, text, page("Labor", "camps")], word_list)
    assert words[4:] == ["forced", "labor.", "The", "Health,", "Labor", "and", "Welfare", "Ministry", "counted", "labor",
                         "to", "Ministry", "since", "August", "in", "camps", "and",
                         "Labor", "camps"]  # in a name, at a paragraph's start, in the register and a month: it stays


def test_names_are_reached_by_a_split_letter_from_four_letters_and_two_edits_from_seven(word_list):
    words, _ = corrected([page("Lavrentiy", "Bena,", "the", "battleship", "Musastu", "and", "muscatu")], word_list)
    # a lower-case word is not taken two edits to a name
    assert words == ["Lavrentiy", "Beria,", "the", "battleship", "Musashi", "and", "muscatu"]


def test_a_run_of_capitalised_words_near_a_register_name_is_corrected_word_for_word(word_list):
    text = page("the", "Imperial", "Japanese", "Anny", "Colonel", "met", "General", "Douglas", "Mac", "Arthur,", "not",
                "Japanese", "Anny", "nor", "Kuril", "Islands")
    n = correct_pages([text], word_list)
    assert text.text() == "the Imperial Japanese Army Colonel met General Douglas MacArthur, not Japanese Anny nor Kuril Islands"
    assert n == 2
    joined = text.lines[0].words[8]
    assert joined.box == (0, 0, 10, 10) and joined.conf == 80  # the split word's boxes and confidences, united


_word = st.one_of(st.sampled_from(["Imperial", "Japanese", "Anny", "Mac", "Arthur,", "Northem", "labor", "Labor.",
                                   "combi-", "(Soviet", "Bena", "“Settler", "-", "1945", "in"]),
                  st.text(min_size=1, max_size=12).filter(lambda t: t.strip() == t and t))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(_word, st.floats(0, 100)), min_size=1, max_size=8), min_size=1, max_size=6))
def test_correction_is_total_and_only_rewrites_or_joins_words(lines):
    text = PageText([Line((0, 0, 10, 10), [Word(t, (0, 0, 10, 10), c) for t, c in ws], 1) for ws in lines])
    before = [len(ln.words) for ln in text.lines]
    changed = correct_pages([text])
    after = [len(ln.words) for ln in text.lines]
    assert all(a <= b for a, b in zip(after, before)) and changed >= sum(before) - sum(after)
    assert all(w.text for w in text.words)


@pytest.fixture
def more_words(tmp_path):
    path = tmp_path / "more-words"
    path.write_text("\n".join(["looting", "footing", "hooting", "million", "minion", "health", "general", "genera",
                               "included", "violence", "divisions", "based"]) + "\n")
    return str(path)


def test_a_mark_read_for_a_thin_letter_inside_or_after_a_word(more_words):
    words, _ = corrected([page("the", "Heal:h,", "Labor", "met", "Genera)", "Douglas", "in", "the", "Kuri!", "Islands"),
                          page("(Kunio", "Genera)", "and", "Kuri!", conf=80)], more_words)
    # a bracket that something opened stays; so does an unknown word
    assert words == ["the", "Health,", "Labor", "met", "General", "Douglas", "in", "the", "Kuril", "Islands",
                     "(Kunio", "Genera)", "and", "Kuril"]


def test_ties_go_to_a_typical_slip_and_a_hyphenated_head_is_corrected(more_words):
    words, _ = corrected([page("which", "included", "Jooting,", "violence", "of", "6.9", "milion", "and",
                               "Minchurta-based", "divisions")], more_words)
    # looting (J for l), not footing or hooting; a doubled letter read once; then lowered mid-sentence
    assert words == ["which", "included", "looting,", "violence", "of", "6.9", "million", "and",
                     "Manchuria-based", "divisions"]


def test_letters_read_as_two_count_once_in_register_names(more_words):
    words, _ = corrected([page("part", "of", "the", "Nonhem", "Territories", "off")], more_words)
    assert words == ["part", "of", "the", "Northern", "Territories", "off"]


def test_number_punctuation_follows_the_document(more_words):
    sure = page("375,000", "in", "1904—05", conf=96)
    unsure = page("between", "62.000", "and", "3.210.000.", "or", "1.5", conf=80)
    words, _ = corrected([sure, unsure], more_words)
    assert words == ["375,000", "in", "1904–05", "between", "62,000", "and", "3,210,000.", "or", "1.5"]
    # a document that surely groups thousands with points keeps them
    words, _ = corrected([page("1.250.000", conf=96), page("62.000", conf=80)], more_words)
    assert words == ["1.250.000", "62.000"]
