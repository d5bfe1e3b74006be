"""The catalogue sidecar: reading, checking, and its way into discovery, the TEI header and the bag."""
import json

import pytest

from pipeline.catalogue import CatalogueError, check_date, load_catalogue
from pipeline.config import Settings
from pipeline.deposit import bag_info, edition_metadata
from pipeline.edition import make_edition, tei_path
from pipeline.ingest import discover
from pipeline.model import Block, CatalogueRecord, Document, SourceInfo
from pipeline.tei import build_tei
from pipeline.validate import validate_bytes

SETTINGS = Settings(edition_date="2026-01-15")


def inbox(tmp_path, catalogue: str, name: str = "catalogue.csv", sources=("letter.txt", "scan")):
    for source in sources:
        if "." in source:
            (tmp_path / source).write_text("Dear Sir, the ship left.\n", encoding="utf-8")
        else:
            (tmp_path / source).mkdir()
    (tmp_path / name).write_text(catalogue, encoding="utf-8")
    return tmp_path


def load(folder):
    return load_catalogue(folder, [p.name for p in discover(folder)])


def test_a_csv_row_per_source_under_the_archive_s_own_headings(tmp_path):
    folder = inbox(tmp_path, "\ufeffFile Name,Title,Author,Date,Archive,Fonds,Shelfmark,Language,Description,Accession\n"
                             'letter.txt,"A letter, to O\'Connell",Mary Smith,1946-06-12,National Archive,Smith papers,'
                             "MS 12/3,en; fr,Carbon copy,A-1\n"
                             "scan/,Report,,1945/1947,,,,,,\n")
    catalogue = load(folder)
    letter = catalogue.get("letter.txt")
    assert (letter.title, letter.creator, letter.date, letter.repository, letter.collection, letter.idno) == (
        "A letter, to O'Connell", "Mary Smith", "1946-06-12", "National Archive", "Smith papers", "MS 12/3")
    assert letter.languages == ("en", "fr") and letter.notes == "Carbon copy" and letter.row == 2
    assert catalogue.get("scan").date == "1945/1947"  # a folder source, named with or without its slash
    assert catalogue.warnings == ["catalogue.csv: column 'Accession' is not used (known: file, title, creator, "
                                  "date, repository, collection, idno, rights, language, notes, type)"]


def test_json_as_a_list_or_keyed_by_file_name(tmp_path):
    keyed = inbox(tmp_path, json.dumps({"letter.txt": {"title": "A letter", "language": ["en", "ru"]}}),
                  name="catalogue.json")
    assert load(keyed).get("letter.txt").languages == ("en", "ru")
    (keyed / "catalogue.json").write_text(json.dumps([{"file": "scan", "type": "printed"}]))
    assert load(keyed).get("scan").type == "printed"


def test_every_problem_is_reported_at_once_with_its_row(tmp_path):
    folder = inbox(tmp_path, "file,date,language,type\n"
                             "letter.txt,1946-02-30,en,\n"
                             "Letter.txt,1946,en,\n"
                             "scan,1947/1945,english,poster\n"
                             "letter.txt,,,\n"
                             ",1946,,\n")
    with pytest.raises(CatalogueError) as caught:
        load(folder)
    lines = str(caught.value).splitlines()[1:]
    assert [line.strip() for line in lines] == [
        "catalogue.csv, row 2 (letter.txt): date '1946-02-30' is not a date: use ISO 8601: YYYY, YYYY-MM, "
        "YYYY-MM-DD, or a range such as 1945/1947",
        f"catalogue.csv, row 3 (Letter.txt): no source named 'Letter.txt' in {folder} (did you mean 'letter.txt'?); "
        "correct the name or remove the row",
        "catalogue.csv, row 4 (scan): date '1947/1945': the range ends before it begins",
        "catalogue.csv, row 5 (letter.txt): letter.txt is described twice (first in row 2); keep one row",
        "catalogue.csv, row 6: the 'file' cell is empty; give the source's file or folder name",
    ]


@pytest.mark.parametrize("text, message", [
    ("title,date\nA,1946\n", "no 'file' column"),
    ("file,title,name\nletter.txt,A,B,C\n", "more cells than the header has columns"),
    ("file,language\nletter.txt,english\n", "language 'english' is not a BCP 47 code"),
    ("file,type\nletter.txt,poster\n", "type 'poster' is not one of manuscript, printed"),
    ("file,title,Title\nletter.txt,A,B\n", "both mean 'title'"),
])
def test_a_bad_catalogue_says_what_to_fix(tmp_path, text, message):
    with pytest.raises(CatalogueError, match=message):
        load(inbox(tmp_path, text))


def test_dates_are_iso_8601_or_a_range():
    assert check_date("1946") == ("1946", None) and check_date("1946-06-12") == ("1946-06-12", None)
    assert check_date("1945-08/1946") == ("1945-08", "1946")
    for bad in ("12 June 1946", "1946-6", "1946-00", "1946/", "1945/1946/1947"):
        with pytest.raises(ValueError):
            check_date(bad)


def test_the_catalogue_is_not_a_source_and_no_catalogue_is_an_empty_one(tmp_path):
    folder = inbox(tmp_path, "file,title\nletter.txt,A letter\n")
    assert [p.name for p in discover(folder)] == ["letter.txt", "scan"]
    (folder / "catalogue.csv").unlink()
    assert load(folder).records == {}


RECORDS = {
    "held": CatalogueRecord("letter.txt", 2, "A letter", "Mary Smith", "1946-06-12", "National Archive", "Smith papers",
                            "MS 12/3", "Public domain", ("en", "fr"), "Carbon copy"),
    "printed": CatalogueRecord("letter.txt", 2, "A pamphlet", "Ann Author", "1945/1947", "City Library", "", "P 1",
                               "", (), "Second impression", "printed"),
    "bare": CatalogueRecord("letter.txt", 2, "Just a title", date="1946"),
}


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_the_header_is_valid_here_and_in_tei_all(tmp_path, tei_all, kind):
    source = SourceInfo("/x/letter.txt", "letter.txt", "letter", "text", "text/plain", 10, "a" * 64, "UTF-8")
    record = RECORDS[kind]
    data = build_tei(Document(source, record.title, blocks=[Block("p", "Dear Sir.")], catalogue=record), SETTINGS)
    assert validate_bytes(data, "letter.xml") == []
    (tmp_path / "letter.xml").write_bytes(data)
    assert tei_all(tmp_path / "letter.xml") == ""
    meta = edition_metadata(tmp_path / "letter.xml")
    assert meta["title"] == record.title and meta["document_date"] == record.date
    info = bag_info(meta, SETTINGS)
    if kind == "held":
        assert b"<msIdentifier>" in data and info["Internal-Sender-Identifier"] == "MS 12/3"
        assert info["Bag-Group-Identifier"] == "Smith papers" and info["Rights"] == "Public domain"
        assert info["External-Description"] == "A letter (Mary Smith, 1946-06-12) Carbon copy"
    elif kind == "printed":
        assert b'<bibl type="printed">' in data and b"<msDesc>" not in data
        assert info["Internal-Sender-Identifier"] == "P 1" and meta["document_repository"] == "City Library"
    else:
        assert "Internal-Sender-Identifier" not in info and info["Date"] == "1946"


def test_the_record_makes_the_edition_and_a_changed_record_remakes_it(tmp_path):
    (tmp_path / "in").mkdir()
    source = tmp_path / "in" / "letter.txt"
    source.write_text("Maoka, 12 June 1946\n\nDear Sir, the ship left Maoka.\n", encoding="utf-8")
    out = tmp_path / "out"
    record = CatalogueRecord("letter.txt", 2, "The letter from Maoka", languages=("fr",))
    assert make_edition(source, out, SETTINGS, record=record).status == "ok"
    tei = tei_path(out, "letter").read_text(encoding="utf-8")
    assert "<title>The letter from Maoka</title>" in tei and '<language ident="fr">' in tei
    assert make_edition(source, out, SETTINGS, record=record).status == "unchanged"
    moved = CatalogueRecord("letter.txt", 9, "The letter from Maoka", languages=("fr",))
    assert make_edition(source, out, SETTINGS, record=moved).status == "unchanged"  # only its row moved
    retitled = CatalogueRecord("letter.txt", 2, "Letter, Maoka", languages=("fr",))
    assert make_edition(source, out, SETTINGS, record=retitled).status == "ok"
    assert make_edition(source, out, SETTINGS).status == "ok"  # the row removed
    assert "<title>Maoka, 12 June 1946</title>" in tei_path(out, "letter").read_text(encoding="utf-8")
