"""Settings: one frozen object passed to every stage.

Defaults live here; a TOML file (``--config FILE``, or ``pipeline.toml`` in
the working directory) overrides them, and CLI options override the file.
Stages never read the environment or the clock: what they need is here.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from pipeline.errors import UsageError


@dataclass(frozen=True)
class Settings:
    # publication (TEI publicationStmt, bag-info.txt)
    publisher: str = "Archive Digitization Project"
    licence: str = "Creative Commons Attribution 4.0 International"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    id_prefix: str = "urn:x-archive:edition:"  # + stem + "-" + 12 hex of the source's SHA-256
    organisation_address: str = ""
    contact_email: str = ""
    # date written into the edition (publicationStmt, revisionDesc); ISO 8601.
    # None: the source file's modification date. Never the wall clock.
    edition_date: str | None = None
    # text
    language: str = "en"  # main language of typed sources (BCP 47)
    max_text_bytes: int = 50 * 1024 * 1024
    # OCR
    ocr_languages: str = "eng"  # Tesseract's codes joined by '+', e.g. "eng+rus+jpn"
    ocr_timeout: float = 180.0  # seconds per page
    unclear_below: float = 0.60  # words under this confidence are marked <unclear>
    max_image_pixels: int = 150_000_000
    pdf_dpi: int = 300
    ocr_workers: int = 0  # pages of one source read at once; 0 = number of cores
    tesseract_cmd: str = "tesseract"  # the Tesseract binary: a name on PATH or a path
    ocr_correct: bool = True  # correct misread words against a lexicon (pipeline.ocr.correct); ALTO keeps the raw reading
    ocr_word_list: str = "/usr/share/dict/words"  # known words, one a line, for that correction; "" for none
    # run
    workers: int = 0  # concurrent sources; 0 = number of cores
    # edition site: the address it is published at (ending in /). IIIF manifests need absolute
    # URLs for viewers elsewhere (Mirador, Universal Viewer); the default suits a local preview
    # (python -m http.server 8000 -d OUTPUT_DIR/site). The site's own pages use relative links.
    site_url: str = "http://localhost:8000/"

    def fingerprint(self) -> str:
        """A digest of every setting that changes an edition's content."""
        data = dataclasses.asdict(self)
        data.pop("workers")
        data.pop("ocr_workers")
        data.pop("site_url")  # the site is rebuilt on every run; editions do not depend on it
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def load_settings(config_file: str | Path | None = None, **overrides) -> Settings:
    """Settings from defaults, then a TOML file, then explicit overrides."""
    values: dict = {}
    path = Path(config_file) if config_file else Path("pipeline.toml")
    if config_file and not path.is_file():
        raise UsageError(f"config file not found: {path}")
    if path.is_file():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise UsageError(f"{path}: not valid TOML: {e}") from e
    known = {f.name: f.type for f in fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise UsageError(f"{path}: unknown setting(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return Settings(**values).replace(**overrides)
