"""Deposit bags: complete, valid, byte-identical sources; verify names every problem."""
import json
import shutil
import zipfile
from pathlib import Path

import bagit
import pytest

from pipeline.cli import main
from pipeline.deposit import bag_path, deposit_edition, verify_bag
from tests.site_fixture import SETTINGS, build_output


@pytest.fixture(scope="module")
def run_output(tmp_path_factory):
    inbox, out = build_output(tmp_path_factory.mktemp("deposit"))
    results = {stem: deposit_edition(inbox / name, stem, out, SETTINGS, make_zip=True)
               for stem, name in (("landing", "landing.txt"), ("scan", "scan"), ("hostile", "hostile.txt"))}
    return inbox, out, results


def test_bags_validate_in_full_and_hold_tei_and_source_byte_for_byte(run_output):
    inbox, out, results = run_output
    assert {r.status for r in results.values()} == {"bagged"}
    for stem, source in (("landing", "landing.txt"), ("hostile", "hostile.txt")):
        bag = bagit.Bag(str(bag_path(out, stem)))
        bag.validate(fast=False)
        assert set(bag.algorithms) == {"sha256", "sha512"}
        data = bag_path(out, stem) / "data"
        assert (data / "tei" / f"{stem}.xml").read_bytes() == (out / "tei" / f"{stem}.xml").read_bytes()
        assert (data / "source" / source).read_bytes() == (inbox / source).read_bytes()
        assert (data / "validation.json").is_file()


def test_a_scan_bag_holds_its_page_files_images_and_alto(run_output):
    inbox, out, _ = run_output
    bag = bag_path(out, "scan")
    bagit.Bag(str(bag)).validate(fast=False)
    assert (bag / "data/source/scan/page-1.png").read_bytes() == (inbox / "scan/page-1.png").read_bytes()
    assert (bag / "data/pages/scan/page-1.png").is_file()
    assert (bag / "data/pages/scan/page-1.alto.xml").is_file()
    # the TEI's relative links (../pages/scan/...) still resolve inside the bag
    assert b'url="../pages/scan/page-1.png"' in (bag / "data/tei/scan.xml").read_bytes()


def test_bag_info_names_the_organisation_edition_and_date(run_output):
    _, out, _ = run_output
    info = bagit.Bag(str(bag_path(out, "landing"))).info
    assert info["Source-Organization"] == "Test Archive"
    assert info["Contact-Email"] == "archive@example.org"
    assert info["Organization-Address"] == "1 Archive Lane, Somewhere"
    assert info["External-Identifier"].startswith("urn:x-archive:edition:landing-")
    assert info["External-Description"] == info["Title"] == "Landing"
    assert info["Bagging-Date"] == "2026-01-15"
    assert info["Bag-Software-Agent"].startswith("archive-pipeline ")
    assert info["Payload-Oxum"].endswith(".5")  # TEI, source, validation.json and the two schemas


def test_zip_holds_the_bag_and_is_deterministic(run_output, tmp_path):
    inbox, out, results = run_output
    archive = out / results["landing"].zip
    names = zipfile.ZipFile(archive).namelist()
    assert "landing/bagit.txt" in names and "landing/data/source/landing.txt" in names
    first = archive.read_bytes()
    again = deposit_edition(inbox / "landing.txt", "landing", out, SETTINGS, make_zip=True)
    assert again.status == "bagged" and archive.read_bytes() == first


def test_invalid_tei_is_not_bagged(run_output):
    inbox, out, _ = run_output
    result = deposit_edition(inbox / "broken.txt", "broken", out, SETTINGS)
    assert result.status == "failed" and "not valid" in result.error
    assert not bag_path(out, "broken").exists()
    assert not list((out / "deposit").glob(".*"))  # no temporary folder left behind


def test_a_changed_source_is_not_bagged_with_the_old_edition(run_output, tmp_path):
    inbox, out, _ = run_output
    changed = tmp_path / "landing.txt"
    changed.write_text("something else\n")
    result = deposit_edition(changed, "landing", out, SETTINGS)
    assert result.status == "failed" and "changed since its edition" in result.error
    bagit.Bag(str(bag_path(out, "landing"))).validate()  # the earlier bag is untouched


def test_an_unchanged_source_keeps_its_bag_and_a_missing_bag_is_remade(run_output):
    inbox, out, _ = run_output
    bag = bag_path(out, "hostile")
    before = (bag / "bag-info.txt").stat().st_mtime_ns
    assert deposit_edition(inbox / "hostile.txt", "hostile", out, SETTINGS, unchanged=True).status == "kept"
    assert (bag / "bag-info.txt").stat().st_mtime_ns == before
    shutil.rmtree(bag)
    assert deposit_edition(inbox / "hostile.txt", "hostile", out, SETTINGS, unchanged=True).status == "bagged"
    bagit.Bag(str(bag)).validate()


@pytest.fixture
def bag_copy(run_output, tmp_path):
    _, out, _ = run_output
    copy = tmp_path / "landing"
    shutil.copytree(bag_path(out, "landing"), copy)
    return copy


def test_verify_passes_a_good_bag(bag_copy, capsys):
    assert verify_bag(bag_copy) == []
    assert main(["verify", str(bag_copy)]) == 0
    assert "valid" in capsys.readouterr().out


def test_verify_names_a_file_with_one_flipped_byte(bag_copy, capsys):
    tei = bag_copy / "data" / "tei" / "landing.xml"
    data = bytearray(tei.read_bytes())
    data[200] ^= 0x01  # same size: Payload-Oxum alone would not notice
    tei.write_bytes(bytes(data))
    assert main(["verify", str(bag_copy)]) == 1
    out = capsys.readouterr().out
    assert "altered: data/tei/landing.xml (sha256, sha512 differ)" in out


def test_verify_names_missing_and_extra_files(bag_copy, capsys):
    (bag_copy / "data" / "source" / "landing.txt").unlink()
    (bag_copy / "data" / "notes.txt").write_text("not in the manifest")
    assert main(["verify", str(bag_copy)]) == 1
    out = capsys.readouterr().out
    assert "missing: data/source/landing.txt" in out
    assert "extra file not in the manifests: data/notes.txt" in out


def test_verify_notices_an_edited_tag_file(bag_copy, capsys):
    info = bag_copy / "bag-info.txt"
    info.write_text(info.read_text().replace("Test Archive", "Someone Else"))
    assert main(["verify", str(bag_copy)]) == 1
    assert "altered: bag-info.txt" in capsys.readouterr().out


def test_verify_of_something_that_is_not_a_bag_is_a_usage_error(tmp_path, capsys):
    assert main(["verify", str(tmp_path)]) == 2
    assert "not a bag" in capsys.readouterr().err


def test_run_bags_every_edition_publishes_the_site_and_keeps_unchanged_bags(prefect_harness, sample_texts, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for p in sample_texts:
        shutil.copy(p, inbox)
    (inbox / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    args = ["run", str(inbox), "--out", str(out), "--date", "2026-01-15", "--zip"]
    assert main(args) == 1  # the empty source failed
    report = json.loads((out / "report.json").read_text())
    for entry in report["sources"]:
        if entry["status"] == "failed":
            assert entry["deposit"] is None and not bag_path(out, entry["stem"]).exists()
            continue
        assert entry["deposit"]["status"] == "bagged"
        bag = bag_path(out, entry["stem"])
        bagit.Bag(str(bag)).validate(fast=False)
        assert (bag / "data/source" / entry["source"]).read_bytes() == (inbox / entry["source"]).read_bytes()
        assert (out / entry["deposit"]["zip"]).is_file()
        assert verify_bag(bag) == []
    assert report["summary"]["deposit_failed"] == 0
    assert sorted(p.stem for p in (out / "tei").iterdir()) == sorted(p.name for p in (out / "deposit").iterdir() if p.is_dir())
    assert (out / "site" / "index.html").is_file()

    stamp = (bag / "bag-info.txt").stat().st_mtime_ns
    assert main(args) == 1
    report = json.loads((out / "report.json").read_text())
    assert {s["deposit"]["status"] for s in report["sources"] if s["deposit"]} == {"kept"}
    assert (bag / "bag-info.txt").stat().st_mtime_ns == stamp


def test_a_failed_deposit_is_reported_and_the_edition_kept(prefect_harness, sample_texts, tmp_path, monkeypatch, capsys):
    import pipeline.deposit

    def broken_disk(source, stem, *args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.deposit, "build_bag", broken_disk)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(sample_texts[0], inbox)
    out = tmp_path / "out"
    assert main(["run", str(inbox), "--out", str(out), "--date", "2026-01-15"]) == 1
    entry = json.loads((out / "report.json").read_text())["sources"][0]
    assert entry["status"] == "ok" and (out / "tei" / f"{entry['stem']}.xml").is_file()
    assert entry["deposit"]["status"] == "failed" and "No space left" in entry["deposit"]["error"]
    assert "deposit failed" in capsys.readouterr().err


def test_a_bag_that_fails_midway_leaves_the_old_bag_and_no_half_bag(run_output, monkeypatch):
    inbox, out, _ = run_output
    bag = bag_path(out, "landing")
    manifest = (bag / "manifest-sha256.txt").read_bytes()

    def killed(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(bagit, "make_bag", killed)
    result = deposit_edition(inbox / "landing.txt", "landing", out, SETTINGS)
    assert result.status == "failed" and "Input/output error" in result.error
    assert (bag / "manifest-sha256.txt").read_bytes() == manifest
    assert not list((out / "deposit").glob(".*"))


def test_a_source_gone_or_emptied_since_its_edition_is_not_bagged(run_output, tmp_path):
    _, out, _ = run_output
    emptied = tmp_path / "landing.txt"
    emptied.write_bytes(b"")
    assert "empty" in deposit_edition(emptied, "landing", out, SETTINGS).error
    gone = deposit_edition(tmp_path / "missing.txt", "landing", out, SETTINGS)
    assert gone.status == "failed" and "missing.txt" in gone.error


def test_concurrent_deposits_with_relative_paths(run_output, monkeypatch):
    """make_bag changes the working directory; deposits running beside it must not lose their files."""
    from concurrent.futures import ThreadPoolExecutor

    inbox, out, _ = run_output
    monkeypatch.chdir(out.parent)
    jobs = [(Path(inbox.name) / name, stem) for stem, name in
            (("landing", "landing.txt"), ("scan", "scan"), ("hostile", "hostile.txt"))] * 3
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(lambda job: deposit_edition(job[0], job[1], Path(out.name), SETTINGS), jobs))
    assert [r.error for r in results] == [None] * len(jobs)


def test_a_folder_replaced_while_another_writer_puts_its_own_in_place(tmp_path, monkeypatch):
    """replace_dir: a writer that lands between moving the old folder aside and renaming is moved aside too."""
    import os

    from pipeline import fsutil

    target, mine, theirs = tmp_path / "bag", tmp_path / ".mine", tmp_path / ".theirs"
    for folder, text in ((target, "old"), (mine, "mine"), (theirs, "theirs")):
        folder.mkdir()
        (folder / "file").write_text(text)
    real_replace = os.replace

    def racing(src, dst):
        if Path(src) == mine and theirs.exists():
            real_replace(theirs, target)  # the other writer wins the first round
        return real_replace(src, dst)

    monkeypatch.setattr(fsutil.os, "replace", racing)
    fsutil.replace_dir(mine, target)
    assert (target / "file").read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == ["bag"]


def test_a_hand_edited_edition_is_bagged_again_with_its_edits(run_output):
    inbox, out, _ = run_output
    tei = out / "tei" / "hostile.xml"
    tei.write_bytes(tei.read_bytes().replace(b"A second paragraph.", b'A <hi rend="italic">second</hi> paragraph.'))
    result = deposit_edition(inbox / "hostile.txt", "hostile", out, SETTINGS, unchanged=True)
    assert result.status == "bagged"  # the bag held the TEI before the edit
    bag = bag_path(out, "hostile")
    assert (bag / "data/tei/hostile.xml").read_bytes() == tei.read_bytes()
    assert verify_bag(bag) == []
    # the schemas the edition declares (href="../schemas/...") are in the bag beside it
    assert b'href="../schemas/tei_pipeline.rng"' in tei.read_bytes()
    assert (bag / "data/schemas/tei_pipeline.rng").is_file() and (bag / "data/schemas/tei_pipeline.sch").is_file()
    assert deposit_edition(inbox / "hostile.txt", "hostile", out, SETTINGS, unchanged=True).status == "kept"
