"""Settings: one frozen object passed to every stage.

Defaults live here; a TOML file (``--config FILE``, or ``pipeline.toml`` in
the working directory) overrides them, and CLI options override the file.
Every value is checked against its declaration (type and range) when the
object is made, before any work: a bad one is a ``UsageError`` naming the
setting, the value and what is expected. Stages never read the environment
or the clock: what they need is here.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.dataclasses import dataclass

from pipeline.errors import UsageError


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value):
    """A TOML date or an ISO 8601 date string (YYYY-MM-DD), kept as the string."""
    if isinstance(value, datetime.datetime):
        raise ValueError("a date without a time of day is expected, e.g. 2026-01-15")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            if _ISO_DATE.fullmatch(value):
                return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
        raise ValueError("an ISO 8601 date (YYYY-MM-DD) is expected, e.g. 2026-01-15")
    return value  # anything else fails the type check


def _tesseract_codes(value: str) -> str:
    parts = value.split("+")
    if not all(p and p.replace("_", "").isalnum() for p in parts):
        raise ValueError("auto, or Tesseract language codes joined by '+', is expected, e.g. eng+rus+jpn")
    return value


def _language_tag(value: str) -> str:
    head, *rest = value.split("-")
    if not (2 <= len(head) <= 3 and head.isalpha() and head.islower() and all(p.isalnum() for p in rest)):
        raise ValueError("a BCP 47 language tag is expected, e.g. en or en-GB")
    return value


def _paths(value):
    """A list of file names (TOML array) as a tuple; one name alone is a list of one."""
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, list) else value


IsoDate = Annotated[str | None, BeforeValidator(_iso_date)]
Paths = Annotated[tuple[str, ...], BeforeValidator(_paths)]
Count = Annotated[int, Field(ge=0)]  # 0 means "as many as there are cores"
Positive = Annotated[int, Field(gt=0)]
Seconds = Annotated[float, Field(gt=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]


@dataclass(frozen=True, config=ConfigDict(strict=True, extra="forbid"))
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
    edition_date: IsoDate = None
    # text
    language: Annotated[str, AfterValidator(_language_tag)] = "en"  # main language of typed sources (BCP 47)
    # annotation: the archive's own register files (format: pipeline/data/README.md), read after the
    # bundled one; their lines win for the same form, and a line of type "none" marks a form as no name
    registers: Paths = ()
    max_text_bytes: Positive = 50 * 1024 * 1024
    # OCR
    # "auto": each page and passage read with the model of its language (pipeline.ocr.language);
    # or Tesseract's codes joined by '+', e.g. "eng+rus", to read every page with those
    ocr_languages: Annotated[str, AfterValidator(_tesseract_codes)] = "auto"
    ocr_timeout: Seconds = 180.0  # seconds per page
    unclear_below: Fraction = 0.60  # words under this confidence are marked <unclear>
    max_image_pixels: Positive = 150_000_000
    pdf_dpi: Annotated[int, Field(ge=50, le=1200)] = 300
    ocr_workers: Count = 0  # pages of one source read at once; 0 = number of cores
    tesseract_cmd: Annotated[str, Field(min_length=1)] = "tesseract"  # the Tesseract binary: a name on PATH or a path
    ocr_combine: bool = True  # read a doubtful page from other images and as plain Tesseract does, passages in other scripts again
    ocr_correct: bool = True  # correct misread words against lexicons (pipeline.ocr.correct); ALTO keeps the raw reading
    ocr_word_list: str = ""  # more known words for that correction (an archive's own terms), one a line; "" for none
    # run
    workers: Count = 0  # concurrent sources; 0 = number of cores
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


def load_settings(config_file: str | Path | None = None, options: dict[str, str] | None = None,
                  **overrides) -> Settings:
    """Settings from defaults, then a TOML file, then explicit overrides (None: not given).

    ``options`` names how the user gave each override (``{"workers": "--workers"}``),
    so that an error points at what to change.
    """
    values: dict = {}
    path = Path(config_file) if config_file else Path("pipeline.toml")
    if config_file and not path.is_file():
        raise UsageError(f"config file not found: {path}")
    if path.is_file():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise UsageError(f"{path}: not valid TOML: {e}") from e
    if isinstance(values.get("registers"), (list, str)):  # relative to the settings file, wherever the run starts
        values["registers"] = [str((path.parent / p).resolve()) for p in _paths(values["registers"])]
    known = [f.name for f in dataclasses.fields(Settings)]
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise UsageError(f"{path}: unknown setting(s): {', '.join(unknown)}; known: {', '.join(known)}")
    settings = _checked(lambda: Settings(**values), lambda name: f"{path}: setting {name}")
    options = options or {}
    return _checked(lambda: settings.replace(**overrides),
                    lambda name: options.get(name, f"setting {name}"))


def _checked(make, where) -> Settings:
    """``make()``, with a validation failure turned into a UsageError naming each bad value."""
    try:
        return make()
    except ValidationError as e:
        problems = []
        for err in e.errors():
            name = ".".join(str(part) for part in err["loc"])
            expected = err["msg"].removeprefix("Value error, ").replace("Input should be", "expected")
            value = err["input"]
            shown = repr(value) if isinstance(value, (str, int, float)) else str(value)
            problems.append(f"{where(name)} = {shown}: {expected}")
        raise UsageError("; ".join(problems)) from None
