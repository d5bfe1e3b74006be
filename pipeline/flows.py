"""The Prefect flow: a thin shell over ``pipeline.edition``. The only module importing prefect.

Local mode (Prefect's temporary server) by default; a Prefect server when
PREFECT_API_URL is set. Tasks run in a thread pool, or on a Dask cluster when
given its address. Small text sources share a task run (``pipeline.batching``),
scans get one each; tasks pass paths and small outcomes, never documents.
"""
from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import prefect
from prefect import flow, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.deployments.runner import EntrypointType
from prefect.futures import as_completed
from prefect.settings import get_current_settings
from prefect.task_runners import ThreadPoolTaskRunner

from pipeline.batching import plan_batches
from pipeline.catalogue import load_catalogue
from pipeline.config import Settings
from pipeline.annotate import write_unregistered_csv
from pipeline.deposit import deposit_edition, remove_leftovers
from pipeline.edition import Outcome, make_edition, unregistered_names
from pipeline.errors import EnvironmentProblem, PipelineError
from pipeline.fsutil import exclusive_run, remove_stale_temp_files
from pipeline.ingest import discover, stem_of
from pipeline.model import CatalogueRecord
from pipeline.inventory import sources_to_make, withdrawn_editions
from pipeline.publish import publish_site
from pipeline.report import summarize, summary_markdown, write_report


UNREGISTERED_CSV = "unregistered-names.csv"


@task(name="edition-batch", cache_policy=NO_CACHE, log_prints=False)
def edition_batch(paths: list[Path], out_dir: Path, settings: Settings, force: bool,
                  catalogue: dict[str, CatalogueRecord], discard_edits: bool = False) -> list[Outcome]:
    return [make_edition(path, out_dir, settings, force=force, record=catalogue.get(path.name),
                         discard_edits=discard_edits) for path in paths]


@task(name="deposit-batch", cache_policy=NO_CACHE, log_prints=False)
def deposit_batch(items: list[tuple[Path, Outcome]], out_dir: Path, settings: Settings, make_zip: bool) -> list[dict]:
    return [deposit_edition(source, outcome.stem, out_dir, settings, unchanged=outcome.status == "unchanged",
                            make_zip=make_zip).to_json() for source, outcome in items]


@task(name="publish", cache_policy=NO_CACHE, log_prints=False)
def publish_task(out_dir: Path, settings: Settings) -> Path:
    return publish_site(out_dir, settings)


@flow(name="ingest-sources", log_prints=False, validate_parameters=False)
def ingest_flow(input_dir: Path, out_dir: Path, settings: Settings, force: bool = False,
                make_zip: bool = False, prune: bool = False, discard_edits: bool = False) -> dict:
    started = time.perf_counter()
    discovered = discover(input_dir)
    catalogue = load_catalogue(input_dir, [p.name for p in discovered])  # checked whole before any work
    order = {p.name: i for i, p in enumerate(discovered)}
    paths, outcomes, sources_by_digest = sources_to_make(discovered, out_dir)
    total = len(paths) + len(outcomes)
    _progress(f"{total} source(s) in {input_dir}"
              + (f", {len(catalogue.records)} described by {catalogue.path.name}" if catalogue.path else ""))
    for warning in catalogue.warnings:
        _progress(f"warning: {warning}")
    for o in outcomes:
        _progress(f"[{len(outcomes):>{len(str(total))}}/{total}] {o.status:<10} {o.source}: {o.error}")
    batches = plan_batches(paths, _workers(settings))
    futures = edition_batch.map(batches, unmapped(out_dir), unmapped(settings), unmapped(force),
                                unmapped(catalogue.records), unmapped(discard_edits))
    for future in as_completed(futures):
        for outcome in future.result():
            outcomes.append(outcome)
            detail = f": {outcome.stage}: {outcome.error}" if outcome.status == "failed" else f" ({outcome.seconds:.1f} s)"
            if outcome.edits and outcome.status != "failed":
                detail += f", hand edits {outcome.edits['status']}"
            _progress(f"[{len(outcomes):>{len(str(total))}}/{total}] {outcome.status:<10} {outcome.source}{detail}")
    outcomes.sort(key=lambda o: order[o.source])
    deposit_all(input_dir, out_dir, settings, outcomes, make_zip)
    for o in withdrawn_editions(out_dir, {stem_of(p) for p in discovered}, sources_by_digest, prune):
        outcomes.append(o)
        _progress(f"withdrawn  {o.stem}: {o.error}")
    summary = summarize(outcomes, time.perf_counter() - started)
    report_path = write_report(out_dir, outcomes, summary)
    stems = [o.stem for o in outcomes if o.status in ("ok", "unchanged")]
    write_unregistered_csv(out_dir / UNREGISTERED_CSV, unregistered_names(out_dir, stems))
    summary["site"] = publish(out_dir, settings)
    create_markdown_artifact(key="run-summary", markdown=summary_markdown(outcomes, summary),
                             description="Sources processed by the ingest flow")
    others = "".join(f", {summary[k]} {k}" for k in ("duplicate", "withdrawn") if summary[k])
    edited = f", {summary['hand_edited']} with hand edits" if summary["hand_edited"] else ""
    conflicts = f", {summary['edit_conflicts']} edit conflict(s) (see conflicts/)" if summary["edit_conflicts"] else ""
    _progress(f"done: {summary['ok']} ok, {summary['unchanged']} unchanged, {summary['failed']} failed{others}{edited}"
              f"{conflicts}; "
              f"report: {report_path}")
    return summary


def deposit_all(input_dir: Path, out_dir: Path, settings: Settings, outcomes: list[Outcome], make_zip: bool) -> None:
    """A bag per valid edition (failed ones are not deposited); each result goes into its outcome."""
    input_dir, out_dir = input_dir.absolute(), out_dir.absolute()  # make_bag changes the working directory
    remove_leftovers(out_dir)
    valid = {input_dir / o.source: o for o in outcomes if o.status in ("ok", "unchanged")}
    batches = plan_batches(list(valid), _workers(settings))  # batched like the editions, for the same reason
    futures = deposit_batch.map([[(source, valid[source]) for source in batch] for batch in batches],
                                unmapped(out_dir), unmapped(settings), unmapped(make_zip))
    for batch, future in zip(batches, futures):
        for source, deposit in zip(batch, future.result()):
            outcome = valid[source]
            outcome.deposit = deposit
            if deposit["status"] == "failed":
                _progress(f"deposit failed {outcome.source}: {deposit['error']}")
    by_status = Counter(o.deposit["status"] for o in valid.values())
    _progress(f"deposit: {by_status['bagged'] + by_status['kept']} bag(s) in {out_dir / 'deposit'} "
              f"({by_status['kept']} unchanged, {by_status['failed']} failed)")


def publish(out_dir: Path, settings: Settings) -> str | None:
    """Publish the edition site from what the run wrote; None (and a message) when that fails."""
    try:
        site = publish_task(out_dir, settings)
    except (PipelineError, OSError) as e:
        _progress(f"site not published: {e}")
        return None
    _progress(f"site: {site / 'index.html'}")
    return str(site)


def _workers(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 2


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(input_dir: Path, out_dir: Path, settings: Settings, force: bool = False, make_zip: bool = False,
        dask_address: str | None = None, prune: bool = False, discard_edits: bool = False) -> dict:
    """Run the flow on this machine's cores, or on the Dask cluster at ``dask_address``."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        from pipeline.cluster import check_cluster

        threads = check_cluster(dask_address, get_current_settings().api.url)
        settings = settings.replace(workers=settings.workers or threads)
        input_dir, out_dir = input_dir.resolve(), out_dir.resolve()  # workers have their own working folder
        runner = DaskTaskRunner(address=dask_address)
    else:
        runner = ThreadPoolTaskRunner(max_workers=_workers(settings))
    return ingest_flow.with_options(task_runner=runner)(input_dir, out_dir, settings, force, make_zip, prune,
                                                        discard_edits)


@flow(name="scheduled-ingest", log_prints=False)
def scheduled_ingest(inbox: str, out_dir: str, settings: dict, dask_address: str | None = None) -> dict:
    """One pass over an inbox: new or changed sources become editions, unchanged ones are skipped."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with exclusive_run(out):  # a manual run on the same folder makes this pass fail, not race it
        remove_stale_temp_files(out)
        return run(Path(inbox), out, Settings(**settings), dask_address=dask_address)


def inbox_deployment(inbox: Path, out_dir: Path, settings: Settings, interval: timedelta, name: str,
                     dask_address: str | None = None):
    """The deployment that runs ``scheduled_ingest`` over ``inbox`` every ``interval``, one run at a time."""
    return scheduled_ingest.to_deployment(
        name=name,
        interval=interval,
        concurrency_limit=1,  # a pass that outlasts the interval delays the next rather than racing it
        entrypoint_type=EntrypointType.MODULE_PATH,  # works from an installed package, whatever the folder
        parameters={"inbox": str(inbox.resolve()), "out_dir": str(out_dir.resolve()),
                    "settings": dataclasses.asdict(settings), "dask_address": dask_address},
        description=f"Ingest new or changed sources from {inbox} into {out_dir}",
    )


def serve(inbox: Path, out_dir: Path, settings: Settings, interval: timedelta, name: str,
          dask_address: str | None = None) -> None:
    """Serve the inbox deployment until interrupted; the Prefect server schedules its runs."""
    if not get_current_settings().api.url:
        raise EnvironmentProblem("serve needs a Prefect server to schedule its runs: start one (make server) "
                                 "and set PREFECT_API_URL, e.g. http://127.0.0.1:4200/api")
    prefect.serve(inbox_deployment(inbox, out_dir, settings, interval, name, dask_address))
