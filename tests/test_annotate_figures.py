from pipeline.annotate.figures import find_figures


def figs(text: str) -> list[tuple[str, str, dict]]:
    return [(s.kind, text[s.start:s.end], s.attrs) for s in find_figures(text, [])]


def test_digits_and_scale_words():
    assert figs("almost 6.9 million Japanese; 3,210,000 civilians; 1.5 million troops; 2 million") == [
        ("num", "6.9 million", {"value": "6900000"}), ("num", "3,210,000", {"value": "3210000"}),
        ("num", "1.5 million", {"value": "1500000"}), ("num", "2 million", {"value": "2000000"})]


def test_number_words():
    assert figs("Three young men, nine of the twelve, twenty-five men, one hundred women, one million") == [
        ("num", "Three", {"value": "3"}), ("num", "nine", {"value": "9"}), ("num", "twelve", {"value": "12"}),
        ("num", "twenty-five", {"value": "25"}), ("num", "one hundred", {"value": "100"}),
        ("num", "one million", {"value": "1000000"})]


def test_ranges_are_two_figures_and_qualifiers_stay_outside():
    assert [t for _, t, _ in figs("between 62,000 and 92,000; about 1,050,000; up to 200,000")] == [
        "62,000", "92,000", "1,050,000", "200,000"]


def test_hyphenated_compounds_keep_only_the_number():
    assert figs("an 80-year-old man and a 60-minute speech") == [
        ("num", "80", {"value": "80"}), ("num", "60", {"value": "60"})]


def test_measures_and_units():
    assert figs("9% of them, 12 percent, 3,705 carats, 2,100 kilograms, 10,000-ton ship, 340 miles, 5 km, "
                "40 hectares") == [
        ("measure", "9%", {"quantity": "9", "unit": "percent"}),
        ("measure", "12 percent", {"quantity": "12", "unit": "percent"}),
        ("measure", "3,705 carats", {"quantity": "3705", "unit": "ct"}),
        ("measure", "2,100 kilograms", {"quantity": "2100", "unit": "kg"}),
        ("measure", "10,000-ton", {"quantity": "10000", "unit": "t"}),
        ("measure", "340 miles", {"quantity": "340", "unit": "mi"}),
        ("measure", "5 km", {"quantity": "5", "unit": "km"}),
        ("measure", "40 hectares", {"quantity": "40", "unit": "ha"})]


def test_signed_temperatures():
    assert figs("as low as minus 50 C (minus 58 F), at -5 °C, 40 degrees Celsius") == [
        ("measure", "minus 50 C", {"quantity": "-50", "unit": "Cel"}),
        ("measure", "minus 58 F", {"quantity": "-58", "unit": "degF"}),
        ("measure", "-5 °C", {"quantity": "-5", "unit": "Cel"}),
        ("measure", "40 degrees Celsius", {"quantity": "40", "unit": "Cel"})]


def test_counted_things_are_nums():
    assert figs("1,155 tanks") == [("num", "1,155", {"value": "1155"})]


def test_exclusions():
    text = ("one battalion of the 113th Infantry Brigade, L-12, No.2 Shinko Maru, Order Number 9898, "
            "Volume 7, Clause 9, several, half, dozens, at 10:30, p. 14, Japan.3 Next")
    assert figs(text) == []
    assert figs("1. The order") == []


def test_sentence_opening_word_is_not_an_identifier():
    assert figs("the Ministry. Twenty-five families came. Strength 12,450.") == [
        ("num", "Twenty-five", {"value": "25"}), ("num", "12,450", {"value": "12450"})]


def test_taken_regions_are_skipped():
    text = "On 9 August 1945 about 500 men"
    assert [t for _, t, _ in (lambda s: [(x.kind, text[x.start:x.end], 0) for x in s])(
        find_figures(text, [(3, 16)]))] == ["500"]


def test_page_ranges_and_run_in_list_markers_are_not_figures():
    assert figs("Annual Report (Tokyo), pp. 211-215. 2. Report of the Surgeon; 40-45 percent") == [
        ("num", "40", {"value": "40"}), ("measure", "45 percent", {"quantity": "45", "unit": "percent"})]


def test_a_with_a_scale_word_times_of_day_and_enumerators():
    assert figs("about a hundred of us, a thousand days, a hundred miles away; a man") == [
        ("num", "a hundred", {"value": "100"}), ("num", "a thousand", {"value": "1000"}),
        ("measure", "a hundred miles", {"quantity": "100", "unit": "mi"})]
    assert figs("at ten o’clock, since (1) the area is far and (2) delay might result") == []


def test_identifier_nouns_and_number_words_after_names():
    assert figs("Tape 2, Side A; Exhibit 2412; at Tunhua two days later") == [("num", "two", {"value": "2"})]


def test_a_number_grouped_in_thousands_after_a_name_is_a_quantity():
    assert figs("Task Force 58 and Order 9898 left South China 112,681 men") == [
        ("num", "112,681", {"value": "112681"})]
