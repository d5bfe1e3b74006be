"""Validate: TEI against RELAX NG and Schematron; findings as data, in several formats.

By default a file is checked against the project's customisation
(``schemas/tei_pipeline.rng`` and ``.sch``); ``load_schema`` also gives TEI's
own tei_all (bundled) or a grammar and rules of the user's choice. Schemas are
compiled once per process.

Every problem of a file is reported in one pass. libxml2's RELAX NG validator
stops checking an element at its first error, so after each pass the culprits
(an unexpected element, a bad attribute) are taken out of a copy of the tree
and it is checked again, until nothing more is found. Each RELAX NG finding
says what the grammar allows at that point (``pipeline.grammar``).
"""
from __future__ import annotations

import copy
import functools
import gzip
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, isoschematron

from pipeline.errors import EnvironmentProblem, UsageError
from pipeline.fsutil import write_atomic
from pipeline.grammar import ANY, Grammar, describe

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
RNG_FILE = "tei_pipeline.rng"
SCH_FILE = "tei_pipeline.sch"
TEI_ALL_FILE = "tei_all.rng.gz"  # TEI P5 4.3.0's tei_all (schemas/README.md)
MAX_PASSES = 200  # a file with more RELAX NG errors than this is reported in part


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: error: [{self.rule}] {self.message}"


@dataclass(frozen=True)
class Schema:
    """A RELAX NG grammar and/or ISO Schematron rules, compiled, with a name for reports."""

    label: str
    rng: etree.RelaxNG | None = None
    sch: isoschematron.Schematron | None = None
    grammar_tree: etree._ElementTree | None = None
    # a validator keeps its last error log and report on itself: one document at a time per schema
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @functools.cached_property
    def grammar(self) -> Grammar | None:
        try:
            return Grammar(self.grammar_tree.getroot()) if self.grammar_tree is not None else None
        except (etree.Error, AttributeError, TypeError):
            return None


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


def project_schema_files() -> list[Path]:
    """The project's customisation: what every edition declares and what OUTPUT_DIR/schemas/ holds."""
    folder = schema_dir()
    return [folder / RNG_FILE, folder / SCH_FILE]


@functools.lru_cache(maxsize=None)
def project_schema() -> Schema:
    rng, sch = project_schema_files()
    return _compile([_parse_schema(rng), _parse_schema(sch)], "the project's schema (tei_pipeline.rng and .sch)")


@functools.lru_cache(maxsize=None)
def load_schema(*specs: str) -> Schema:
    """``tei_all`` (TEI's own schema, bundled), a RELAX NG file, a Schematron file, or one of each.

    No spec: the project's customisation. Raises UsageError for a file that
    is missing or neither RELAX NG nor Schematron.
    """
    if not specs:
        return project_schema()
    trees, labels = [], []
    for spec in specs:
        if spec == "tei_all":
            with gzip.open(schema_dir() / TEI_ALL_FILE) as f:
                trees.append(etree.parse(f, safe_parser()))
            labels.append("TEI P5 4.3.0 tei_all (RELAX NG only)")
        else:
            trees.append(_parse_schema(Path(spec)))
            labels.append(spec)
    kinds = [etree.QName(t.getroot()).namespace for t in trees]
    if kinds.count(RNG_NS) > 1 or kinds.count(SCH_NS) > 1:
        raise UsageError("--schema takes at most one RELAX NG grammar and one Schematron file")
    return _compile(trees, " and ".join(labels))


def _parse_schema(path: Path) -> etree._ElementTree:
    if not path.is_file():
        raise UsageError(f"schema file not found: {path}")
    try:
        tree = etree.parse(str(path), safe_parser())
    except etree.XMLSyntaxError as e:
        raise UsageError(f"{path}: not well-formed XML: {e}") from e
    if etree.QName(tree.getroot()).namespace not in (RNG_NS, SCH_NS):
        raise UsageError(f"{path}: neither a RELAX NG grammar (XML syntax) nor an ISO Schematron schema")
    return tree


def _compile(trees: list[etree._ElementTree], label: str) -> Schema:
    rng = sch = grammar = None
    for tree in trees:
        try:
            if etree.QName(tree.getroot()).namespace == RNG_NS:
                rng, grammar = etree.RelaxNG(tree), tree
            else:
                sch = isoschematron.Schematron(tree, store_report=True)
        except (etree.RelaxNGParseError, etree.SchematronParseError, etree.XSLTParseError) as e:
            raise UsageError(f"cannot compile the schema {tree.docinfo.URL or label}: {e}") from e
    return Schema(label, rng, sch, grammar)


# --- validation -------------------------------------------------------------------

def validate_tree(tree: etree._ElementTree, name: str, schema: Schema | None = None) -> list[Finding]:
    """Every RELAX NG and Schematron finding for a parsed document, in line order."""
    schema = schema or project_schema()
    with schema.lock:
        return _findings(tree, name, schema)


def _findings(tree: etree._ElementTree, name: str, schema: Schema) -> list[Finding]:
    findings = []
    if schema.rng is not None:
        findings += _relaxng_findings(tree, name, schema)
    if schema.sch is not None and not schema.sch.validate(tree):
        for failed in schema.sch.validation_report.getroot().iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
            text = " ".join("".join(failed.find(f"{SVRL}text").itertext()).split())
            line = _line_of(tree, failed.get("location"))
            findings.append(Finding(name, line, failed.get("id") or "schematron", text))
    return sorted(findings, key=lambda f: f.line)


def _relaxng_findings(tree: etree._ElementTree, name: str, schema: Schema) -> list[Finding]:
    """Validate, take the culprits out of a copy, validate again, until no new error is found."""
    if schema.rng.validate(tree):
        return []
    work = copy.deepcopy(tree)  # keeps each node's source line
    findings: dict[tuple[int, str], Finding] = {}
    for _ in range(MAX_PASSES):
        errors = list(schema.rng.error_log)
        wrong_paths = {e.path for e in errors if e.type_name == "RELAXNG_ERR_ELEMWRONG"}
        repairs = []
        for error in errors:
            if error.type_name == "RELAXNG_ERR_EXTRACONTENT" and error.path in wrong_paths:
                continue  # the same stray element, reported again by its parent
            node = _node_at(work, error.path)
            message, repair = _explain(error, node, schema.grammar)
            findings.setdefault((error.line, message), Finding(name, error.line, "relaxng", message))
            if repair is not None:
                repairs.append(repair)
        if not repairs:
            break
        for repair in repairs:
            repair()
        if schema.rng.validate(work):
            break
    return list(findings.values())


ATTRIBUTE = re.compile(r"Invalid attribute (\S+) for element (\S+)")


def _explain(error, node, grammar: Grammar | None):
    """A message saying what is wrong and what is allowed there, and how to take the culprit out (or None)."""
    kind, message = error.type_name, error.message
    tag = etree.QName(node).localname if isinstance(node, etree._Element) else None
    parent = node.getparent() if isinstance(node, etree._Element) else None
    parent_tag = etree.QName(parent).localname if parent is not None else None

    if kind in ("RELAXNG_ERR_ELEMWRONG", "RELAXNG_ERR_EXTRACONTENT") and tag and parent_tag:
        text = f"<{tag}> is not allowed here, inside <{parent_tag}>"
        if grammar and grammar.knows(parent_tag):
            allowed = grammar.children(parent_tag)
            if tag in allowed or ANY in allowed:
                text += f"; <{tag}> may stand in <{parent_tag}> but not at this position (the order of its content matters)"
            else:
                text_too = "text and " if grammar.rules[parent_tag].text else ""
                text += f"; <{parent_tag}> allows {text_too}{describe(allowed) or 'no elements'}"
        return text, lambda: _remove(node)

    match = ATTRIBUTE.match(message)
    if kind == "RELAXNG_ERR_INVALIDATTR" and match and isinstance(node, etree._Element):
        attribute, element = match.groups()
        value = _attribute_value(node, attribute)
        if grammar and grammar.knows(element):
            if attribute in grammar.attributes(element):
                expected = " or ".join(grammar.values(element, attribute)) or "another value"
                text = f'<{element} {attribute}="{value}">: not a valid value; expected {expected}'
            else:
                text = f"<{element}> has no attribute {attribute}; allowed: {describe(grammar.attributes(element)) or 'none'}"
        else:
            text = f'<{element} {attribute}="{value}">: not allowed (the attribute or its value)'
        return text, lambda: _drop_attribute(node, attribute)

    if kind == "RELAXNG_ERR_NOELEM" and tag:
        allowed = grammar.children(tag) if grammar and grammar.knows(tag) else []
        return f"<{tag}> is missing required content" + (f"; it takes: {describe(allowed)}" if allowed else ""), None

    if kind == "RELAXNG_ERR_TEXTWRONG" and tag:
        allowed = grammar.children(tag) if grammar and grammar.knows(tag) else []
        return (f"<{tag}> takes no text of its own" + (f", only elements: {describe(allowed)}" if allowed else ""),
                lambda: _drop_text(node))
    return message, None


def _node_at(tree: etree._ElementTree, path: str | None):
    try:
        hits = tree.xpath(path) if path else []
    except etree.XPathError:
        return None
    return hits[0] if hits else None


def _attribute_value(el: etree._Element, attribute: str) -> str:
    if attribute.startswith("xml:"):
        return el.get(f"{{http://www.w3.org/XML/1998/namespace}}{attribute[4:]}", "")
    return el.get(attribute, "")


def _remove(el) -> None:
    parent = el.getparent() if isinstance(el, etree._Element) else None
    if parent is None:
        return
    previous = el.getprevious()
    if el.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _drop_attribute(el, attribute: str) -> None:
    for key in list(el.attrib):
        if etree.QName(key).localname == attribute.split(":")[-1]:
            del el.attrib[key]


def _drop_text(el) -> None:
    el.text = None
    for child in el:
        child.tail = None


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


def validate_bytes(data: bytes, name: str, schema: Schema | None = None) -> list[Finding]:
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser()))
    except etree.XMLSyntaxError as e:
        return [Finding(name, e.lineno or 0, "xml-parse", e.msg)]
    return validate_tree(tree, name, schema)


def validate_file(path: str | Path, schema: Schema | None = None) -> list[Finding]:
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return [Finding(name, 0, "io", f"cannot read the file: {e.strerror}")]
    return validate_bytes(data, name, schema)


# --- what each edition declares --------------------------------------------------

def copy_schemas(folder: Path) -> None:
    """Put the project's schemas in ``folder`` (beside a tei/ folder), where the editions' declarations point."""
    for schema in project_schema_files():
        data = schema.read_bytes()
        target = Path(folder) / schema.name
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        write_atomic(target, data)


def xml_model_declarations(href_folder: str = "../schemas") -> list[etree._ProcessingInstruction]:
    """``<?xml-model?>`` processing instructions naming the project's schemas, relative to the TEI.

    The TEI lives in OUTPUT_DIR/tei/, the site's tei/ and a bag's data/tei/;
    each has the schemas in ../schemas/ beside it, so editors validate on open.
    """
    return [
        etree.ProcessingInstruction("xml-model", f'href="{href_folder}/{RNG_FILE}" type="application/xml" schematypens="{RNG_NS}"'),
        etree.ProcessingInstruction("xml-model", f'href="{href_folder}/{SCH_FILE}" type="application/xml" schematypens="{SCH_NS}"'),
    ]


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
