"""report.json: what a run did with each source, and a summary."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pipeline.edition import Outcome
from pipeline.fsutil import write_atomic


CARRIED = ("kept", "merged", "resolved")


def summarize(outcomes: list[Outcome], seconds: float) -> dict:
    statuses = Counter(o.status for o in outcomes)
    totals = Counter()
    for o in outcomes:
        totals.update(o.counts)
    return {
        "sources": len(outcomes),
        "ok": statuses["ok"],
        "unchanged": statuses["unchanged"],
        "failed": statuses["failed"],
        "duplicate": statuses["duplicate"],
        "withdrawn": statuses["withdrawn"],
        "deposit_failed": sum(bool(o.deposit) and o.deposit["status"] == "failed" for o in outcomes),
        # editions whose TEI carries hand edits (kept, merged into a remade edition, or resolved by hand)
        "hand_edited": sum(o.status != "failed" and bool(o.edits) and o.edits["status"] in CARRIED for o in outcomes),
        "edit_conflicts": sum(bool(o.edits) and o.edits["status"] == "conflict" for o in outcomes),
        "seconds": round(seconds, 2),
        "totals": dict(sorted(totals.items())),
    }


def write_report(out_dir: Path, outcomes: list[Outcome], summary: dict) -> Path:
    path = out_dir / "report.json"
    report = {"sources": [o.to_json() for o in outcomes], "summary": summary}
    write_atomic(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return path


def summary_markdown(outcomes: list[Outcome], summary: dict) -> str:
    """The run summary as a Markdown table (published as a Prefect artifact)."""
    lines = [
        f"**{summary['sources']} sources**: {summary['ok']} ok, {summary['unchanged']} unchanged, "
        f"{summary['failed']} failed in {summary['seconds']} s; {summary['hand_edited']} with hand edits, "
        f"{summary['edit_conflicts']} edit conflict(s)",
        "",
        "| source | status | hand edits | stage | error |",
        "|---|---|---|---|---|",
    ]
    for o in outcomes:
        error = (o.error or "").replace("|", "\\|").replace("\n", " ")
        edits = o.edits["status"] if o.edits else ""
        lines.append(f"| {o.source} | {o.status} | {edits} | {o.stage or ''} | {error} |")
    return "\n".join(lines)
