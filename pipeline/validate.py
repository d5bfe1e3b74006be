"""Validate: TEI against the project's RELAX NG grammar and Schematron rules.

Findings are data (file, line, rule, message); the caller decides what is
fatal and how to print them. The schemas are compiled once per process.
"""
from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from lxml import etree, isoschematron

from pipeline.errors import EnvironmentProblem

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
RNG_FILE = "tei_pipeline.rng"
SCH_FILE = "tei_pipeline.sch"


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: error: [{self.rule}] {self.message}"


def safe_parser() -> etree.XMLParser:
    """A parser that never resolves entities or touches the network or a DTD."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def schema_dir() -> Path:
    """Where the schemas are: $PIPELINE_SCHEMAS, a source checkout, or an installed package's share/."""
    candidates = [
        os.environ.get("PIPELINE_SCHEMAS"),
        Path(__file__).resolve().parent.parent / "schemas",
        Path(sys.prefix) / "share" / "archive-pipeline" / "schemas",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / RNG_FILE).is_file():
            return Path(candidate)
    raise EnvironmentProblem(
        f"cannot find the TEI schemas ({RNG_FILE}); reinstall the package (pip install .) "
        "or set PIPELINE_SCHEMAS to the repository's schemas/ folder"
    )


@functools.lru_cache(maxsize=1)
def _schemas() -> tuple[etree.RelaxNG, isoschematron.Schematron]:
    folder = schema_dir()
    rng = etree.RelaxNG(etree.parse(str(folder / RNG_FILE), safe_parser()))
    sch = isoschematron.Schematron(etree.parse(str(folder / SCH_FILE), safe_parser()), store_report=True)
    return rng, sch


def validate_tree(tree: etree._ElementTree, name: str) -> list[Finding]:
    """RELAX NG and Schematron findings for a parsed document, in line order."""
    rng, sch = _schemas()
    findings = []
    if not rng.validate(tree):
        findings += [Finding(name, e.line, "relaxng", e.message) for e in rng.error_log]
    if not sch.validate(tree):
        for failed in sch.validation_report.getroot().iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
            text = " ".join("".join(failed.find(f"{SVRL}text").itertext()).split())
            line = _line_of(tree, failed.get("location"))
            findings.append(Finding(name, line, failed.get("id") or "schematron", text))
    return sorted(findings, key=lambda f: f.line)


def _line_of(tree: etree._ElementTree, location: str | None) -> int:
    try:
        hits = tree.xpath(location) if location else []
    except etree.XPathError:
        return 0
    if not hits:
        return 0
    hit = hits[0]
    element = hit if isinstance(hit, etree._Element) else hit.getparent()
    return element.sourceline or 0 if element is not None else 0


def validate_bytes(data: bytes, name: str) -> list[Finding]:
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser()))
    except etree.XMLSyntaxError as e:
        return [Finding(name, e.lineno or 0, "xml-parse", e.msg)]
    return validate_tree(tree, name)


def validate_file(path: str | Path) -> list[Finding]:
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return [Finding(name, 0, "io", f"cannot read the file: {e.strerror}")]
    return validate_bytes(data, name)


# --- output formats -------------------------------------------------------------

def format_text(findings: list[Finding]) -> str:
    return "".join(f"{f}\n" for f in findings)


def format_github(findings: list[Finding]) -> str:
    """GitHub Actions workflow commands: annotations on the files' lines."""
    def esc(s: str, prop: bool = False) -> str:
        s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return s.replace(":", "%3A").replace(",", "%2C") if prop else s

    return "".join(
        f"::error file={esc(f.file, True)}{f',line={f.line}' if f.line else ''},title={esc(f.rule, True)}"
        f"::{esc(f.message)}\n"
        for f in findings
    )


def format_junit(files: list[str], findings: list[Finding]) -> str:
    """JUnit XML: one test case per file, a failure per file with problems."""
    by_file: dict[str, list[Finding]] = {f: [] for f in files}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    failed = sum(1 for items in by_file.values() if items)
    suites = etree.Element("testsuites", name="tei-validation", tests=str(len(by_file)), failures=str(failed))
    suite = etree.SubElement(suites, "testsuite", name="tei-validation", tests=str(len(by_file)), failures=str(failed), errors="0")
    for file, items in by_file.items():
        case = etree.SubElement(suite, "testcase", classname="tei", name=file)
        if items:
            failure = etree.SubElement(case, "failure", message=f"{len(items)} problem(s)", type="validation")
            failure.text = format_text(items)
    return etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()
