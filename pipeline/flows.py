"""The Prefect flow: a thin shell over ``pipeline.edition``. The only module importing prefect.

Local mode (Prefect's temporary server) by default; a Prefect server when
PREFECT_API_URL is set. Each source is one task run; tasks pass paths and
plain data, never lxml objects.
"""
from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

from prefect import flow, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from pipeline.config import Settings
from pipeline.annotate import write_unregistered_csv
from pipeline.edition import Outcome, make_edition, unregistered_names
from pipeline.deposit import deposit_edition, remove_leftovers
from pipeline.edition import Outcome, make_edition
from pipeline.errors import PipelineError
from pipeline.ingest import discover, stem_of
from pipeline.publish import publish_site
from pipeline.report import summarize, summary_markdown, write_report


UNREGISTERED_CSV = "unregistered-names.csv"


@task(name="edition", cache_policy=NO_CACHE, log_prints=False)
def edition_task(path: Path, out_dir: Path, settings: Settings, force: bool) -> Outcome:
    return make_edition(path, out_dir, settings, force=force)


@task(name="deposit", cache_policy=NO_CACHE, log_prints=False)
def deposit_task(source: Path, outcome: Outcome, out_dir: Path, settings: Settings, make_zip: bool) -> dict:
    return deposit_edition(source, outcome.stem, out_dir, settings,
                           unchanged=outcome.status == "unchanged", make_zip=make_zip).to_json()


@task(name="publish", cache_policy=NO_CACHE, log_prints=False)
def publish_task(out_dir: Path) -> Path:
    return publish_site(out_dir)


@flow(name="ingest-sources", log_prints=False, validate_parameters=False)
def ingest_flow(input_dir: Path, out_dir: Path, settings: Settings, force: bool = False,
                make_zip: bool = False) -> dict:
    started = time.perf_counter()
    discovered = discover(input_dir)
    order = {p.name: i for i, p in enumerate(discovered)}
    paths, outcomes = _unique_stems(discovered)
    total = len(paths) + len(outcomes)
    _progress(f"{total} source(s) in {input_dir}")
    for o in outcomes:
        _progress(f"[{len(outcomes):>{len(str(total))}}/{total}] failed     {o.source}: {o.error}")
    futures = edition_task.map(paths, unmapped(out_dir), unmapped(settings), unmapped(force))
    for future in as_completed(futures):
        outcome = future.result()
        outcomes.append(outcome)
        detail = f": {outcome.stage}: {outcome.error}" if outcome.status == "failed" else f" ({outcome.seconds:.1f} s)"
        _progress(f"[{len(outcomes):>{len(str(total))}}/{total}] {outcome.status:<10} {outcome.source}{detail}")
    outcomes.sort(key=lambda o: order[o.source])
    deposit_all(input_dir, out_dir, settings, outcomes, make_zip)
    summary = summarize(outcomes, time.perf_counter() - started)
    report_path = write_report(out_dir, outcomes, summary)
    stems = [o.stem for o in outcomes if o.status in ("ok", "unchanged")]
    write_unregistered_csv(out_dir / UNREGISTERED_CSV, unregistered_names(out_dir, stems))
    summary["site"] = publish(out_dir)
    create_markdown_artifact(key="run-summary", markdown=summary_markdown(outcomes, summary),
                             description="Sources processed by the ingest flow")
    _progress(f"done: {summary['ok']} ok, {summary['unchanged']} unchanged, {summary['failed']} failed; report: {report_path}")
    return summary


def deposit_all(input_dir: Path, out_dir: Path, settings: Settings, outcomes: list[Outcome], make_zip: bool) -> None:
    """A bag per valid edition (failed ones are not deposited); each result goes into its outcome."""
    input_dir, out_dir = input_dir.absolute(), out_dir.absolute()  # make_bag changes the working directory
    remove_leftovers(out_dir)
    valid = [o for o in outcomes if o.status != "failed"]
    futures = deposit_task.map([input_dir / o.source for o in valid], valid, unmapped(out_dir),
                               unmapped(settings), unmapped(make_zip))
    for outcome, future in zip(valid, futures):
        outcome.deposit = future.result()
        if outcome.deposit["status"] == "failed":
            _progress(f"deposit failed {outcome.source}: {outcome.deposit['error']}")
    by_status = Counter(o.deposit["status"] for o in valid)
    _progress(f"deposit: {by_status['bagged'] + by_status['kept']} bag(s) in {out_dir / 'deposit'} "
              f"({by_status['kept']} unchanged, {by_status['failed']} failed)")


def publish(out_dir: Path) -> str | None:
    """Publish the edition site from what the run wrote; None (and a message) when that fails."""
    try:
        site = publish_task(out_dir)
    except (PipelineError, OSError) as e:
        _progress(f"site not published: {e}")
        return None
    _progress(f"site: {site / 'index.html'}")
    return str(site)


def _unique_stems(paths: list[Path]) -> tuple[list[Path], list[Outcome]]:
    """Keep the first source of each stem; the others fail (their TEI would overwrite it)."""
    seen: dict[str, Path] = {}
    keep, clashes = [], []
    for path in paths:
        stem = stem_of(path)
        if stem in seen:
            clashes.append(Outcome(source=path.name, stem=stem, status="failed", stage="discover",
                                   error=f"another source has the same stem {stem!r} ({seen[stem].name}); rename one of them"))
        else:
            seen[stem] = path
            keep.append(path)
    return keep, clashes


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(input_dir: Path, out_dir: Path, settings: Settings, force: bool = False, make_zip: bool = False) -> dict:
    """Run the flow with a task runner sized for this machine."""
    workers = settings.workers or os.cpu_count() or 2
    runner = ThreadPoolTaskRunner(max_workers=workers)
    return ingest_flow.with_options(task_runner=runner)(input_dir, out_dir, settings, force, make_zip)
