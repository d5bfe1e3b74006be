from pipeline.annotate.dates import YearContext, find_dates

from tests.annotate_helpers import annotated, items


def dates(text: str, year: int | None = None) -> list[tuple[str, dict]]:
    return [(text[s.start:s.end], s.attrs) for s in find_dates(text, YearContext(year))]


def test_full_dates_in_both_orders():
    assert dates("On August 9, 1945 and 9 August 1945 and the 9th of August, 1945.") == [
        ("August 9, 1945", {"when": "1945-08-09"}),
        ("9 August 1945", {"when": "1945-08-09"}),
        ("9th of August, 1945", {"when": "1945-08-09"}),
    ]


def test_month_year_year_and_decade():
    assert dates("By August 1948, in 1945, in the 1930s") == [
        ("August 1948", {"when": "1948-08"}), ("1945", {"when": "1945"}),
        ("1930s", {"from": "1930", "to": "1939"})]


def test_ranges_are_one_date():
    assert dates("in 1904–05, from 1946 to 1948, 1946-1948") == [
        ("1904–05", {"from": "1904", "to": "1905"}), ("1946 to 1948", {"from": "1946", "to": "1948"}),
        ("1946-1948", {"from": "1946", "to": "1948"})]
    assert dates("16–18 August 1945; April 1 to June 22, 1945") == [
        ("16–18 August 1945", {"from": "1945-08-16", "to": "1945-08-18"}),
        ("April 1 to June 22, 1945", {"from": "1945-04-01", "to": "1945-06-22"})]


def test_two_dates_joined_by_other_words_stay_two():
    assert [t for t, _ in dates("From May 7, 1946 (when it began) till August 1948")] == [
        "May 7, 1946", "August 1948"]


def test_military_two_digit_years():
    assert dates("1 Jul 49: moved. Apr 47: arrived. 15 Aug 50 - 20 Sep 50: engaged.") == [
        ("1 Jul 49", {"when": "1949-07-01"}), ("Apr 47", {"when": "1947-04"}),
        ("15 Aug 50 - 20 Sep 50", {"from": "1950-08-15", "to": "1950-09-20"})]


def test_day_month_without_year_is_month_day_form():
    assert dates("On 20 August and August 14, and by the end of August") == [
        ("20 August", {"when": "--08-20"}), ("August 14", {"when": "--08-14"}), ("August", {"when": "--08"})]


def test_year_inherited_across_blocks_in_document_order():
    doc = annotated("= T =\n\nIt began on August 9, 1945.\n\n==Later==\nOn August 14, and in early September.\n")
    assert [(t, a) for k, t, a in items(doc, ("date",))] == [
        ("August 9, 1945", {"when": "1945-08-09"}), ("August 14", {"when": "1945-08-14"}),
        ("September", {"when": "1945-09"})]


def test_not_dates():
    assert dates("Order Number 9898, Volume 1945, 1500 men, the Twentieth Century, the next day, "
                 "at 10:30, 14 years, May I go, 1,945 troops") == []


def test_impossible_days_are_not_written():
    assert dates("30 February 1945 and 31 April") == []
    assert dates("29 February 1944") == [("29 February 1944", {"when": "1944-02-29"})]
    assert dates("29 February 1945") == []


def test_months_in_any_case_but_may_and_march_need_a_year():
    assert dates("1. status of repatriation 24 february 1947; aggregate total to september 15, 1947") == [
        ("24 february 1947", {"when": "1947-02-24"}), ("september 15, 1947", {"when": "1947-09-15"})]
    assert dates("the troops march 20 miles and may 5 more") == []
    assert dates("On may 5, 1946") == [("may 5, 1946", {"when": "1946-05-05"})]


def test_an_abbreviated_month_keeps_its_period():
    assert dates("agreed in 1946 and in Dec. Tokyo agreed") == [
        ("1946", {"when": "1946"}), ("Dec.", {"when": "1946-12"})]


def test_day_ordinals_standing_for_dates():
    assert dates("letters of September 27th, 1945, October 3rd, 5th and 6th, and one on the 22nd") == [
        ("September 27th, 1945", {"when": "1945-09-27"}), ("October 3rd", {"when": "1945-10-03"}),
        ("5th", {"when": "1945-10-05"}), ("6th", {"when": "1945-10-06"}), ("22nd", {"when": "1945-10-22"})]
    assert dates("He came on the 22nd.") == []  # no month named before: not a date


def test_numeric_dates_month_first_unless_the_document_writes_day_first():
    assert dates("Received 10-12-46 and 3/4/1947.") == [
        ("10-12-46", {"when": "1946-10-12"}), ("3/4/1947", {"when": "1947-03-04"})]
    doc = annotated("Received 10-12-46.\n\nSent 25/12/46.\n")
    assert [(t, a) for k, t, a in items(doc, ("date",))] == [
        ("10-12-46", {"when": "1946-12-10"}), ("25/12/46", {"when": "1946-12-25"})]


def test_iso_dates_and_month_ranges_across_the_new_year():
    assert dates("born 1911-12-09; in 1946 the port is frozen from December to March") == [
        ("1911-12-09", {"when": "1911-12-09"}), ("1946", {"when": "1946"}),
        ("December to March", {"from": "1946-12", "to": "1947-03"})]
    assert dates("from December to March") == []  # no year: which comes first is unknown


def test_times_of_day_in_four_figures_are_no_years():
    doc = annotated("12 Feb. 1946\n\n0700 Sailed. 1630 Anchored. Buried at sea 1400.\n\n"
                    "The court adjourned at 1045 and the men of the 18th Division left.\n")
    assert [(t, a) for k, t, a in items(doc, ("date", "num"))] == [("12 Feb. 1946", {"when": "1946-02-12"})]
    times = [b.text[s.start:s.end] for b in doc.blocks for s in b.spans if s.kind == "time"]
    assert times == ["0700", "1630", "1400", "1045"]
    # a comma after the time is no digit group ("1,045,000" is a figure)
    doc = annotated("(Whereupon, at 1045, a recess was taken until 1100, after which the train left at 0630, "
                    "with 1,045,000 yen.)\n")
    assert [b.text[s.start:s.end] for b in doc.blocks for s in b.spans if s.kind == "time"] == ["1045", "1100", "0630"]
    assert [(k, t) for k, t, _ in items(doc, ("date", "num"))] == [("num", "1,045,000")]
