"""Evaluate: score the TEI editions' annotations against gold TSV files.

Same semantics as ``../shared/tools/score.py`` (ENCODING.md section 4): per
document, predicted and gold items (kind, whitespace-folded text,
normalization) are matched greedily one to one within each kind, strictly
(equal texts) and leniently (one text's word set contains the other's); the
normalization is compared on strict matches. Counts are summed over the
documents, then precision, recall and F1 per kind and per group.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from lxml import etree


TEI_NS = "{http://www.tei-c.org/ns/1.0}"
KINDS = ("person", "place", "org", "vessel", "date", "num", "measure")
GROUPS = {"names": ("person", "place", "org", "vessel"), "dates": ("date",), "figures": ("num", "measure")}
ELEMENT_KINDS = {"persName": "person", "placeName": "place", "orgName": "org",
                 "date": "date", "num": "num", "measure": "measure"}

Item = tuple[str, str, str]  # kind, folded text, normalization


def _fold(text: str) -> str:
    return " ".join(text.split())


def _number(text: str) -> str:
    """Numbers compare by value ("6900000.0" == "6900000"); other text as it is."""
    try:
        v = float(text)
    except (TypeError, ValueError):
        return text
    return repr(int(v)) if v == int(v) else repr(v)


def normalization(kind: str, attrs) -> str:
    if kind == "date":
        if attrs.get("when"):
            return "when=" + attrs["when"]
        if attrs.get("from") or attrs.get("to"):
            return f"from={attrs.get('from', '')};to={attrs.get('to', '')}"
        return ""
    if kind == "num":
        return "value=" + _number(attrs.get("value", ""))
    if kind == "measure":
        return f"quantity={_number(attrs.get('quantity', ''))};unit={attrs.get('unit', '')}"
    return ""


def _kind(el) -> str | None:
    if not isinstance(el.tag, str) or not el.tag.startswith(TEI_NS):
        return None
    local = el.tag[len(TEI_NS):]
    if local == "name":
        return "vessel" if el.get("type") == "vessel" else None
    return ELEMENT_KINDS.get(local)


def read_tei_items(path: Path) -> list[Item]:
    """Annotations inside <text>, in document order (header and standOff ignored)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    text = etree.parse(str(path), parser).find(f".//{TEI_NS}text")
    if text is None:
        return []
    return [(k, _fold("".join(el.itertext())), normalization(k, el.attrib))
            for el in text.iter() if (k := _kind(el))]


def read_gold_items(path: Path) -> list[Item]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            kind, text, norm = (line.split("\t") + ["", ""])[:3]
            attrs = dict(part.split("=", 1) for part in norm.split(";") if "=" in part)
            items.append((kind, _fold(text), normalization(kind, attrs)))
    return items


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _same(a: str, b: str, lenient: bool) -> bool:
    if a == b:
        return True
    if not lenient:
        return False
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def greedy_match(pred: list[Item], gold: list[Item], lenient: bool) -> list[tuple[Item, Item]]:
    """Each prediction, in order, takes the first unused gold item of its kind it matches."""
    used: set[int] = set()
    pairs = []
    for p in pred:
        for j, g in enumerate(gold):
            if j not in used and g[0] == p[0] and _same(p[1], g[1], lenient):
                used.add(j)
                pairs.append((p, g))
                break
    return pairs


def _rates(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else (0.0 if ngold else 1.0)
    r = tp / ngold if ngold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(tei_dir: str | Path, gold_dir: str | Path) -> dict:
    """Scores of TEI_DIR/NAME.xml against every GOLD_DIR/NAME.tsv (score.py's JSON structure)."""
    counts = {k: Counter() for k in KINDS}
    missing = []
    for gold_path in sorted(Path(gold_dir).glob("*.tsv")):
        tei_path = Path(tei_dir) / f"{gold_path.stem}.xml"
        gold = read_gold_items(gold_path)
        if tei_path.exists():
            pred = read_tei_items(tei_path)
        else:
            pred = []
            missing.append(tei_path.name)
        strict = greedy_match(pred, gold, lenient=False)
        lenient = greedy_match(pred, gold, lenient=True)
        for kind in KINDS:
            c = counts[kind]
            c["pred"] += sum(item[0] == kind for item in pred)
            c["gold"] += sum(item[0] == kind for item in gold)
            c["strict"] += sum(p[0] == kind for p, _ in strict)
            c["lenient"] += sum(p[0] == kind for p, _ in lenient)
            c["norm_ok"] += sum(p[0] == kind and p[2] == g[2] for p, g in strict)
    result: dict = {"missing": missing, "kinds": {}, "groups": {}}
    for section, rows in (("kinds", {k: (k,) for k in KINDS}), ("groups", GROUPS)):
        for name, kinds in rows.items():
            c = sum((counts[k] for k in kinds), Counter())
            sp, sr, sf = _rates(c["strict"], c["pred"], c["gold"])
            lf = _rates(c["lenient"], c["pred"], c["gold"])[2]
            result[section][name] = {
                "gold": c["gold"], "pred": c["pred"], "strict_p": sp, "strict_r": sr, "strict_f1": sf,
                "lenient_f1": lf, "norm_acc": c["norm_ok"] / c["strict"] if c["strict"] else 0.0,
            }
    return result


MAX_EXAMPLES = 6


def diagnose(tei_dir: str | Path, gold_dir: str | Path) -> dict:
    """What the scores are made of: F1 per document and group, and what the strict misses are.

    After the strict matching, a remaining gold item and a remaining prediction
    are paired as a *type* confusion (same text, other kind), a *boundary*
    slip (same kind, lenient match) or both; what stays unpaired is *missed*
    (gold) or *spurious* (predicted). Strict matches with another
    normalization are listed too. Each row carries a few examples.
    """
    documents: dict[str, dict] = {}
    rows: dict[tuple[str, str, str], list[str]] = {}

    def note(category: str, gold_kind: str, pred_kind: str, example: str) -> None:
        rows.setdefault((category, gold_kind, pred_kind), []).append(example)

    for gold_path in sorted(Path(gold_dir).glob("*.tsv")):
        tei_path = Path(tei_dir) / f"{gold_path.stem}.xml"
        gold = read_gold_items(gold_path)
        pred = read_tei_items(tei_path) if tei_path.exists() else []
        strict = greedy_match(pred, gold, lenient=False)
        documents[gold_path.stem] = {
            group: dict(zip(("strict_p", "strict_r", "strict_f1"), _rates(
                sum(p[0] in kinds for p, _ in strict), sum(x[0] in kinds for x in pred),
                sum(x[0] in kinds for x in gold))), gold=sum(x[0] in kinds for x in gold),
                pred=sum(x[0] in kinds for x in pred))
            for group, kinds in GROUPS.items()}
        for p, g in strict:
            if p[2] != g[2]:
                note("normalization", g[0], p[0], f"{g[1]}: {p[2] or '-'} for {g[2] or '-'}")
        gold_left, pred_left = _unmatched(gold, [g for _, g in strict]), _unmatched(pred, [p for p, _ in strict])
        for category, same_kind, lenient in (("type", False, False), ("boundary", True, True),
                                             ("type and boundary", False, True)):
            for g in list(gold_left):
                p = next((p for p in pred_left if (p[0] == g[0]) == same_kind and _same(p[1], g[1], lenient)), None)
                if p is not None:
                    gold_left.remove(g)
                    pred_left.remove(p)
                    note(category, g[0], p[0], g[1] if category == "type" else f"{p[1]} for {g[1]}")
        for g in gold_left:
            note("missed", g[0], "", g[1])
        for p in pred_left:
            note("spurious", "", p[0], p[1])
    confusions = [{"category": cat, "gold": gk, "predicted": pk, "count": len(examples),
                   "examples": list(dict.fromkeys(examples))[:MAX_EXAMPLES]}
                  for (cat, gk, pk), examples in rows.items()]
    confusions.sort(key=lambda c: (-c["count"], c["category"], c["gold"], c["predicted"]))
    return {"documents": documents, "confusions": confusions}


def _unmatched(items: list[Item], matched: list[Item]) -> list[Item]:
    left = list(items)
    for m in matched:
        left.remove(m)
    return left


def format_details(details: dict) -> str:
    """The per-document table and the confusion summary, as text."""
    groups = list(GROUPS)
    lines = ["", f"{'document':40}" + "".join(f"{g:>16}" for g in groups),
             f"{'':40}" + "".join(f"{'gold pred   F1':>16}" for _ in groups)]
    for stem, by_group in details["documents"].items():
        lines.append(f"{stem[:40]:40}" + "".join(
            f"{by_group[g]['gold']:>6}{by_group[g]['pred']:>5}{by_group[g]['strict_f1']:>5.2f}" for g in groups))
    lines += ["", "strict misses (gold -> predicted):"]
    for c in details["confusions"]:
        label = {"missed": f"missed {c['gold']}", "spurious": f"spurious {c['predicted']}"}.get(
            c["category"], f"{c['category']}: {c['gold']} -> {c['predicted']}")
        lines.append(f"  {label:34}{c['count']:>5}  " + "; ".join(c["examples"]))
    return "\n".join(lines) + "\n"


def format_table(result: dict) -> str:
    lines = [f"{'':10}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}{'lenF1':>7}{'norm':>7}"]
    for section in ("kinds", "groups"):
        for name, e in result[section].items():
            lines.append(f"{name:10}{e['gold']:6}{e['pred']:6}{e['strict_p']:7.3f}{e['strict_r']:7.3f}"
                         f"{e['strict_f1']:7.3f}{e['lenient_f1']:7.3f}{e['norm_acc']:7.3f}")
    if result["missing"]:
        lines.append("missing TEI: " + " ".join(result["missing"]))
    return "\n".join(lines) + "\n"


def parse_threshold(text: str) -> tuple[str, float]:
    """``GROUP=X`` of ``--min-f1``, X in 0..1 (argparse turns the error into exit 2)."""
    group, sep, value = text.partition("=")
    if not sep or group not in GROUPS:
        raise argparse.ArgumentTypeError(f"expected GROUP=X with GROUP one of {', '.join(GROUPS)}, got {text!r}")
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"threshold {value!r} is not a number") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"threshold {x} is outside 0..1")
    return group, x


def below_thresholds(result: dict, thresholds: list[tuple[str, float]]) -> list[tuple[str, float, float]]:
    """(group, required, actual) for every group whose strict F1 is below its threshold."""
    return [(g, x, result["groups"][g]["strict_f1"]) for g, x in thresholds
            if result["groups"][g]["strict_f1"] < x]
