"""Issue 13's acceptance test, through the command line as a scholar and an archivist use it:
edits (italics, a note, a wrong tag removed, a sic/corr correction, a name tagged by hand with a new
standOff entry) pass `validate`; a plain re-run, --force and a changed setting each keep every one of
them; the bag holds the edited TEI and verifies; report.json says which editions carried hand edits;
a conflict is reported, keeps the edited file and makes the run exit 1."""
import json
import shutil

from lxml import html

from pipeline.cli import main
from tests.conftest import SAMPLES
from tests.support.edits import assert_scholar_edits, make_scholar_edits

EDITED, OTHER = "002_337df533c3dec025", "000_e1d7d39ce82afc03"


def run(inbox, out, *extra):
    return main(["run", str(inbox), "--out", str(out), "--date", "2026-01-15", *extra])


def report(out) -> dict:
    data = json.loads((out / "report.json").read_text())
    return {**{s["stem"]: s for s in data["sources"]}, "summary": data["summary"]}


def assert_deposited_and_published(out, tei):
    bag = out / "deposit" / EDITED
    assert (bag / "data" / "tei" / f"{EDITED}.xml").read_bytes() == tei.read_bytes()
    assert main(["verify", str(bag)]) == 0
    assert (out / "site" / "tei" / f"{EDITED}.xml").read_bytes() == tei.read_bytes()
    index = html.parse(str(out / "site" / "index.html")).getroot()
    flagged = [r.xpath("th/a/@href")[0] for r in index.xpath("//table[@class='editions']/tbody/tr")
               if r.xpath(".//span[contains(@class, 'edited')]")]
    assert flagged == [f"editions/{EDITED}.html"]


def test_hand_edits_survive_every_rerun_end_to_end(prefect_harness, tmp_path, capsys):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for stem in (EDITED, OTHER):
        shutil.copy(SAMPLES / f"{stem}.txt", inbox)
    assert run(inbox, out) == 0
    tei = out / "tei" / f"{EDITED}.xml"
    done = make_scholar_edits(tei)
    assert main(["validate", str(tei)]) == 0

    # a plain re-run: kept as edited, validated, bagged again, published
    edited = tei.read_bytes()
    assert run(inbox, out) == 0
    r = report(out)
    assert r[EDITED]["status"] == "unchanged" and r[EDITED]["edits"]["status"] == "kept"
    assert r[OTHER]["edits"] is None and r["summary"]["hand_edited"] == 1
    assert r[EDITED]["deposit"]["status"] == "bagged" and r[OTHER]["deposit"]["status"] == "kept"
    assert tei.read_bytes() == edited
    assert_deposited_and_published(out, tei)

    # --force: every edition remade, the edits carried
    assert run(inbox, out, "--force") == 0
    r = report(out)
    assert r[EDITED]["status"] == "ok" and r[EDITED]["edits"]["status"] == "merged" and r[OTHER]["edits"] is None
    assert_scholar_edits(tei, done)
    assert_deposited_and_published(out, tei)

    # a changed setting: the header changes, the edits are carried
    config = tmp_path / "pipeline.toml"
    config.write_text('publisher = "Another Archive"\n')
    assert run(inbox, out, "--config", str(config)) == 0
    r = report(out)
    assert r[EDITED]["edits"]["status"] == "merged" and r[EDITED]["edits"]["places"] >= 5
    assert r["summary"]["hand_edited"] == 1 and r["summary"]["edit_conflicts"] == 0
    assert_scholar_edits(tei, done)
    assert b"<publisher>Another Archive</publisher>" in tei.read_bytes() and b'type="hand-edits"' in tei.read_bytes()
    assert main(["validate", str(tei)]) == 0
    assert_deposited_and_published(out, tei)
    assert "1 with hand edits" in capsys.readouterr().err

    # a conflict: the scholar and the new settings change the same header field
    tei.write_bytes(tei.read_bytes().replace(b"<publisher>Another Archive</publisher>", b"<publisher>Scholar Press</publisher>"))
    conflicting = tei.read_bytes()
    config.write_text('publisher = "A Third Archive"\n')
    assert run(inbox, out, "--config", str(config)) == 1
    r = report(out)
    entry = r[EDITED]
    assert entry["status"] == "failed" and entry["stage"] == "merge" and entry["edits"]["status"] == "conflict"
    line = next(i for i, t in enumerate(conflicting.decode().splitlines(), 1) if "Scholar Press" in t)
    assert entry["edits"]["conflicts"][0]["line"] == line and f"line {line}" in entry["error"]
    assert r["summary"]["edit_conflicts"] == 1
    assert tei.read_bytes() == conflicting
    assert (out / "conflicts" / EDITED / "edited.xml").read_bytes() == conflicting
    assert "1 edit conflict(s)" in capsys.readouterr().err
