
import pytest
from lxml import etree

from pipeline.cli import main
from pipeline.edition import make_edition
from pipeline.validate import validate_bytes, validate_file


@pytest.fixture
def valid_tei(tmp_path, settings, sample_texts):
    outcome = make_edition(sample_texts[0], tmp_path / "out", settings)
    assert outcome.status == "ok", outcome.error
    return tmp_path / "out" / "tei" / f"{outcome.stem}.xml"


def broken(path, old: str, new: str, tmp_path):
    text = path.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.xml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    return bad


def test_samples_are_valid(valid_tei):
    assert validate_file(valid_tei) == []


@pytest.mark.parametrize("insert, rule", [
    ('<date when="1945-13-01">x</date>', "date-iso8601"),
    ('<date when="1945-02-30">x</date>', "relaxng"),
    ('<date from="1948" to="1946">x</date>', "date-order"),
    ('<num value="many">x</num>', "relaxng"),
    ('<measure quantity="5" unit="furlong">x</measure>', "measure-unit"),
    ('<placeName ref="#nowhere">x</placeName>', "ref-resolves"),
    ('<placeName ref="#a #nowhere">x</placeName>', "ref-resolves"),
    ('<date notBefore="1946" notAfter="1945">x</date>', "date-bounds-order"),
    ('<date notBefore="1945-13">x</date>', "date-iso8601"),
    ('<persName cert="1.5">x</persName>', "cert-range"),
    ('<persName cert="sure">x</persName>', "relaxng"),
    ('<note resp="#nobody">x</note>', "resp-resolves"),
    ('<ref target="#nothing">x</ref>', "target-resolves"),
    ('<lb xml:id="dup"/><lb xml:id="dup"/>', "xml-parse"),
    ('<b>bold</b>', "relaxng"),
])
def test_problems_are_found_with_rule_and_line(valid_tei, tmp_path, insert, rule):
    bad = broken(valid_tei, "</p>", insert + "</p>", tmp_path)
    findings = validate_file(bad)
    assert rule in {f.rule for f in findings}
    line = next(f.line for f in findings if f.rule == rule)
    assert insert.split(">")[0] + ">" in bad.read_text().splitlines()[line - 1] or rule in ("relaxng", "xml-parse")


def test_missing_header_field_is_a_schematron_error(valid_tei, tmp_path):
    bad = broken(valid_tei, '<idno type="SHA-256">', '<idno type="MD5">', tmp_path)
    assert "header-source" in {f.rule for f in validate_file(bad)}


def test_not_well_formed_and_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xxe = f'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY e SYSTEM "file://{secret}">]><TEI>&e;</TEI>'
    findings = validate_bytes(xxe.encode(), "xxe.xml")
    assert findings and all("TOPSECRET" not in f.message for f in findings)
    assert validate_bytes(b"<TEI><p></TEI>", "bad.xml")[0].rule == "xml-parse"


def test_cli_text_format_and_exit_codes(valid_tei, tmp_path, capsys):
    assert main(["validate", str(valid_tei)]) == 0
    bad = broken(valid_tei, "</p>", '<date when="nope">x</date></p>', tmp_path)
    assert main(["validate", str(valid_tei), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out and all(line.startswith(f"{bad}:") and ": error: [" in line for line in out)


def test_cli_junit_and_github_formats(valid_tei, tmp_path, capsys):
    bad = broken(valid_tei, "</p>", '<num value="x">x</num></p>', tmp_path)
    assert main(["validate", "--format", "junit", str(valid_tei), str(bad)]) == 1
    suite = etree.fromstring(capsys.readouterr().out.encode())
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    assert [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None] == [str(bad)]
    assert main(["validate", "--format", "github", str(bad)]) == 1
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith(f"::error file={bad},line=") and "title=relaxng::" in line
