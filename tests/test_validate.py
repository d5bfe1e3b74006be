
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


EDITS = [  # several mistakes an editor makes, each on its own line
    ('<b>bold</b>', "<b> is not allowed here, inside <p>; <p> allows text and abbr, add"),
    ('<supplied colour="red">x</supplied>', "<supplied> has no attribute colour; allowed: cert, evidence"),
    ('<date when="1945-99-02">x</date>', 'not a valid value; expected'),
    ('<choice/>', "<choice> is missing required content; it takes: abbr, choice, corr"),
    ('<hi rend="italic"><xyz/>y</hi>', "<xyz> is not allowed here, inside <hi>"),
]


def test_every_problem_of_a_file_is_reported_in_one_pass_with_its_line_and_what_is_allowed(valid_tei, tmp_path, capsys):
    text = valid_tei.read_text(encoding="utf-8")
    paragraphs = [m.start() for m in __import__("re").finditer("</p>", text)][:len(EDITS)]
    assert len(paragraphs) == len(EDITS)
    for at, (insert, _) in reversed(list(zip(paragraphs, EDITS))):
        text = text[:at] + insert + text[at:]
    bad = tmp_path / "edited.xml"
    bad.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    for insert, expected in EDITS:
        line = next(i for i, t in enumerate(lines, 1) if insert in t)
        assert any(o.startswith(f"{bad}:{line}: error: [") and expected in o for o in out), (insert, out)
    assert main(["validate", "--format", "github", str(bad)]) == 1
    annotations = capsys.readouterr().out.splitlines()
    assert len(annotations) == len(out)
    for insert, _ in EDITS:
        line = next(i for i, t in enumerate(lines, 1) if insert in t)
        assert any(a.startswith(f"::error file={bad},line={line},") for a in annotations)


def test_a_missing_file_is_a_usage_error(valid_tei, tmp_path, capsys):
    assert main(["validate", str(valid_tei), str(tmp_path / "gone.xml")]) == 2
    assert f"not a file: {tmp_path / 'gone.xml'}" in capsys.readouterr().err
    assert main(["validate", "--schema", str(tmp_path / "none.rng"), str(valid_tei)]) == 2
    assert "schema file not found" in capsys.readouterr().err


def test_a_schema_of_the_users_choice(valid_tei, tmp_path, capsys):
    rng = tmp_path / "mine.rng"
    rng.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><element><anyName/>'
                   '<zeroOrMore><choice><attribute><anyName/></attribute><text/><ref name="any"/></choice></zeroOrMore>'
                   '</element></start><define name="any"><element><anyName/><zeroOrMore><choice><attribute><anyName/>'
                   '</attribute><text/><ref name="any"/></choice></zeroOrMore></element></define></grammar>')
    sch = tmp_path / "mine.sch"
    sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron"><ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>'
                   '<pattern><rule context="t:TEI"><assert id="needs-facsimile" test="t:facsimile">A facsimile is '
                   'required.</assert></rule></pattern></schema>')
    assert main(["validate", "--schema", str(rng), str(valid_tei)]) == 0
    assert main(["validate", "--schema", str(rng), "--schema", str(sch), str(valid_tei)]) == 1
    assert "[needs-facsimile] A facsimile is required." in capsys.readouterr().out
    assert main(["validate", "--schema", str(rng), "--schema", str(rng), str(valid_tei)]) == 2
    not_a_schema = tmp_path / "x.xml"
    not_a_schema.write_text("<x/>")
    assert main(["validate", "--schema", str(not_a_schema), str(valid_tei)]) == 2
    assert "neither a RELAX NG grammar" in capsys.readouterr().err
