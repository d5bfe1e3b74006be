"""Readings of one page from several binarizations, combined word by word."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from pipeline.ocr.vote import vote
from pipeline.ocr.words import Line, PageText, Word

WIDTH = 100  # pixels per word slot


def line(*words: str | tuple[str, float], y: int = 0, height: int = 30, at: list[int] | None = None) -> Line:
    """Words side by side, one slot each (or in the slots ``at`` gives); confidence 80 unless given."""
    out = []
    for k, item in enumerate(words):
        text, conf = item if isinstance(item, tuple) else (item, 80.0)
        x = (at[k] if at is not None else k) * WIDTH
        out.append(Word(text, (x + 5, y, x + WIDTH - 5, y + height), conf))
    return Line((0, y, out[-1].box[2] + 5 if out else 0, y + height), out, 1)


def read(*lines: Line) -> PageText:
    return PageText(list(lines))


def texts(page: PageText) -> list[list[str]]:
    return [[w.text for w in ln.words] for ln in page.lines]


def test_the_majority_reading_of_a_word_wins():
    primary = read(line("the", "Noronai", "river"))
    voted, changed = vote(primary, [read(line("the", "Horonai", "river")), read(line("tbe", "Horonai", "river"))])
    assert texts(voted) == [["the", "Horonai", "river"]] and changed == 1


def test_the_primary_keeps_a_clear_majority_and_ties_go_to_the_surest_reading():
    primary = read(line("the", ("Pobcdino", 60), "post"))
    voted, _ = vote(primary, [read(line("tho", ("Pobedino", 85), "post")), read(line("the", ("Pobedlno", 70), "past"))])
    assert texts(voted) == [["the", "Pobedino", "post"]]


def test_a_word_split_in_one_reading_and_whole_in_others_is_one_column():
    primary = read(line("now", "Chapl", "in"))
    primary.lines[0].words[1:2] = [Word("Chapl", (105, 0, 150, 30), 80), Word("novo", (160, 0, 195, 30), 80)]
    whole = read(line("now", "Chaplanovo", "in"))
    voted, _ = vote(primary, [whole, read(line("now", "Chaplanovo", "in"))])
    assert texts(voted) == [["now", "Chaplanovo", "in"]]
    assert voted.lines[0].words[1].box == whole.lines[0].words[1].box


def test_a_word_the_primary_missed_is_added_only_when_most_readings_see_it():
    primary = read(line("forced", "labor", at=[0, 2]))
    seen_twice = vote(primary, [read(line("forced", "camp", "labor")), read(line("forced", "camp", "labor"))])[0]
    seen_once = vote(primary, [read(line("forced", "camp", "labor")), read(line("forced", "labor", at=[0, 2]))])[0]
    assert texts(seen_twice) == [["forced", "camp", "labor"]]
    assert texts(seen_once) == [["forced", "labor"]]


def test_words_go_to_the_primary_line_they_lie_on():
    primary = read(line("first", "line", y=0), line("second", "line", y=40))
    others = [read(line("second", "lime", y=42), line("frst", "line", y=2)) for _ in range(2)]
    assert texts(vote(primary, others)[0]) == [["frst", "line"], ["second", "lime"]]


def test_a_line_the_primary_read_oddly_keeps_its_words():
    words = [Word("b", (200, 0, 300, 30), 80), Word("a", (0, 40, 100, 70), 80)]  # out of order, two lines high
    primary = read(Line((0, 0, 300, 70), words, 1), line("x", "y", y=100))
    others = [read(line("A", y=40), line("X", "Y", y=100)) for _ in range(2)]
    assert texts(vote(primary, others)[0]) == [["b", "a"], ["X", "Y"]]


_text = st.text(alphabet="abcdeHN.,", min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(_text, st.floats(0, 100)), min_size=1, max_size=6), min_size=1, max_size=5),
       st.lists(st.lists(_text, min_size=1, max_size=6), max_size=5))
def test_agreeing_readings_change_nothing_and_any_vote_keeps_the_primary_lines(lines, other_lines):
    primary = read(*(line(*ws, y=40 * i) for i, ws in enumerate(lines)))
    same, changed = vote(primary, [primary, primary])
    assert texts(same) == texts(primary) and changed == 0
    other = read(*(line(*ws, y=40 * i + 3) for i, ws in enumerate(other_lines)))
    voted, _ = vote(primary, [other, other])
    assert [ln.box for ln in voted.lines] == [ln.box for ln in primary.lines]
    for ln, before in zip(voted.lines, primary.lines):  # every word a reading's, in order, on its line
        assert [w.box[0] for w in ln.words] == sorted(w.box[0] for w in ln.words)
        assert all(w.text for w in ln.words) and (ln.words or not before.words)
