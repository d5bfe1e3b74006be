import hashlib
import os
from pathlib import Path

import pytest

from pipeline.errors import LimitExceeded, SourceError
from pipeline.ingest import decode_text, discover, identify, sniff

PNG_HEAD = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


@pytest.mark.parametrize("data, encoding", [
    ("Größe – “naïve” café".encode("utf-8"), "UTF-8"),
    (b"\xef\xbb\xbf" + "Größe – “naïve” café".encode("utf-8"), "UTF-8 (with BOM)"),
    ("Größe – “naïve” café".encode("utf-16"), "UTF-16LE"),
    ("Größe – “naïve” café".encode("cp1252"), "cp1252"),
    ("Привет, как дела? Всё хорошо, спасибо.".encode("cp1251"), "cp1251"),
])
def test_decodes_common_encodings(data, encoding):
    decoded = decode_text(data)
    assert decoded.encoding == encoding
    assert decoded.text in ("Größe – “naïve” café", "Привет, как дела? Всё хорошо, спасибо.")


def test_detects_shift_jis():
    text = "東京都の天気は晴れです。今日は良い日ですね。明日も晴れるでしょう。"
    decoded = decode_text(text.encode("shift_jis"))
    assert decoded.text == text
    assert decoded.encoding in ("shift_jis", "cp932")


def test_normalizes_to_nfc_and_drops_only_forbidden_characters():
    decoded = decode_text("Cafe\u0301\x00 a\x07b\tc\r\nd\ufffe".encode("utf-8"))
    assert decoded.text == "Café ab\tc\nd"
    assert decoded.dropped == 3


def test_random_bytes_are_not_text():
    with pytest.raises(SourceError, match="not text"):
        decode_text(bytes(range(256)) * 20)


def test_whitespace_only_is_no_text():
    with pytest.raises(SourceError, match="no text"):
        decode_text(b" \n\x00\n ")


@pytest.mark.parametrize("head, kind", [
    (PNG_HEAD, "image"), (b"\xff\xd8\xff\xe0rest", "image"), (b"II*\x00rest", "image"),
    (b"%PDF-1.7\n", "pdf"), (b"plain words", "text"),
])
def test_sniffs_type_from_content(head, kind):
    assert sniff(head)[1] == kind


def test_identify_uses_content_not_extension(tmp_path, settings):
    fake = tmp_path / "scan.jpg"
    fake.write_text("actually a letter")
    source = identify(fake, settings)
    assert (source.kind, source.media_type, source.stem, source.size) == ("text", "text/plain", "scan", 17)
    assert source.sha256 == hashlib.sha256(b"actually a letter").hexdigest()


def test_empty_file_is_reported(tmp_path, settings):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(SourceError, match="empty file"):
        identify(tmp_path / "empty.txt", settings)


def test_text_size_limit(tmp_path, settings):
    big = tmp_path / "big.txt"
    big.write_text("word " * 100)
    with pytest.raises(LimitExceeded, match="max_text_bytes"):
        identify(big, settings.replace(max_text_bytes=100))


def test_folder_is_one_source_in_natural_page_order(tmp_path, settings):
    folder = tmp_path / "letter"
    folder.mkdir()
    for name in ("page-10.png", "page-2.png", "page-1.png"):
        (folder / name).write_bytes(PNG_HEAD)
    (folder / "notes.txt").write_text("not a page")
    source = identify(folder, settings)
    assert source.kind == "folder" and source.stem == "letter"
    assert [Path(f).name for f in source.files] == ["page-1.png", "page-2.png", "page-10.png"]


def test_folder_without_images_is_reported(tmp_path, settings):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match="no page images"):
        identify(tmp_path / "empty", settings)


def test_discover_skips_hidden_entries_and_links_leaving_the_folder(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "b 10.txt").write_text("x")
    (inbox / "b 9.txt").write_text("x")
    (inbox / ".DS_Store").write_text("x")
    (tmp_path / "secret.txt").write_text("x")
    os.symlink(tmp_path / "secret.txt", inbox / "link.txt")
    assert [p.name for p in discover(inbox)] == ["b 9.txt", "b 10.txt"]
