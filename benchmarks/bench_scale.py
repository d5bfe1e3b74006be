"""Scale benchmark: the ingest flow at 100 and 1,000 synthetic documents.

usage: .venv/bin/python benchmarks/bench_scale.py [--sizes 100 1000] [--repeat 3] [--no-dask] [--out FILE]

Measures, each `run` in a fresh process exactly as a user starts it:
  * `run` on inputs/ with Prefect's temporary server against a running
    Prefect server (started here on a free port of 127.0.0.1);
  * documents/s, words/s and peak RSS at each size (against the server);
  * Prefect's overhead: the flow against `make_edition` called directly on
    the same documents, in a thread pool of the same size, in a fresh process;
  * a Dask cluster (a scheduler and one single-thread worker per core on
    127.0.0.1) against the local thread pool.
Each figure is the fastest of --repeat runs (other work on the machine only
ever slows a run down); CPU seconds of the measured process are kept too.
Whatever the stages do (annotation, OCR...) is measured as it is: the
benchmark only calls the command line and `make_edition`.
Results go to benchmarks/results/scale.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the stages and the generator, from a source checkout too

from benchmarks.synthetic import generate  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = REPO / "benchmarks" / "results" / "scale.json"
DATE = "2026-01-15"
START_TIMEOUT = 90
QUIET = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
         "PREFECT_SERVER_LOGGING_LEVEL": "WARNING", "PREFECT_LOGGING_LEVEL": "WARNING"}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the fastest counts")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask comparison")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--direct", nargs=2, type=Path, metavar=("INPUT_DIR", "OUT_DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.direct:
        return direct(*args.direct)
    workers = os.cpu_count() or 2
    results = {"machine": machine(), "workers": workers, "load_average_before": os.getloadavg()[0], "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        tmp = Path(tmp)
        corpora = {n: tmp / f"docs-{n}" for n in args.sizes}
        for n, folder in corpora.items():
            results["sizes"][n] = {"documents": n, "words": generate(folder, n)}
        with prefect_server(tmp / "prefect-home") as (api_url, startup):
            results["server_startup_s"] = startup
            results["inputs_run"] = {
                "temporary_server_s": [cli_run(REPO / "inputs", tmp / "o", None)["wall_s"] for _ in range(2)],
                "running_server_s": [cli_run(REPO / "inputs", tmp / "o", api_url)["wall_s"] for _ in range(2)],
            }
            for n, folder in corpora.items():
                entry = results["sizes"][n]
                entry["local"] = rates(best(args.repeat, cli_run, folder, tmp / f"local-{n}", api_url), entry)
                entry["direct"] = rates(best(args.repeat, direct_run, folder, tmp / f"direct-{n}"), entry)
                entry["prefect_overhead_s"] = round(entry["local"]["flow_s"] - entry["direct"]["flow_s"], 2)
            if not args.no_dask:
                with dask_cluster(tmp / "dask", workers) as address:
                    cli_run(REPO / "inputs", tmp / "dask-warmup", api_url, address)  # workers import the stages
                    for n, folder in corpora.items():
                        entry = results["sizes"][n]
                        entry["dask"] = rates(best(args.repeat, cli_run, folder, tmp / f"dask-{n}", api_url, address),
                                              entry)
    small, big = min(args.sizes), max(args.sizes)
    if small != big:
        s, b = results["sizes"][small]["local"], results["sizes"][big]["local"]
        results["scaling"] = {"documents": big / small, "flow_time": round(b["flow_s"] / s["flow_s"], 2),
                              "wall_time": round(b["wall_s"] / s["wall_s"], 2),
                              "cpu_time": round(b["cpu_s"] / s["cpu_s"], 2),
                              "peak_rss": round(b["peak_rss_mib"] / s["peak_rss_mib"], 2)}
    results["load_average_after"] = os.getloadavg()[0]  # other work on the machine skews the figures
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(summary(results))
    print(f"results: {args.out}")
    return 0


def best(repeat: int, measure, *args) -> dict:
    """The fastest of ``repeat`` measurements (by the flow's own time), with every flow time seen."""
    runs = [measure(*args) for _ in range(max(1, repeat))]
    return min(runs, key=lambda r: r["flow_s"]) | {"flow_s_all": [r["flow_s"] for r in runs]}


def cli_run(folder: Path, out: Path, api_url: str | None, dask_address: str | None = None) -> dict:
    """`python -m pipeline run` in a fresh process: its wall time, the flow's own time, its peak RSS."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME")} | QUIET
    if api_url:
        env["PREFECT_API_URL"] = api_url
    cmd = [sys.executable, "-m", "pipeline", "run", str(folder), "--out", str(out), "--force", "--date", DATE]
    if dask_address:
        cmd += ["--dask-address", dask_address]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr, status, usage = finish(proc, proc.stderr)
    wall = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{stderr.decode(errors='replace')[-3000:]}")
    summary = json.loads((out / "report.json").read_text())["summary"]
    return {"wall_s": round(wall, 2), "flow_s": summary["seconds"], "cpu_s": cpu_seconds(usage),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def direct_run(folder: Path, out: Path) -> dict:
    """The stages without Prefect, in a fresh process (this script's --direct mode)."""
    cmd = [sys.executable, __file__, "--direct", str(folder), str(out)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE)
    stdout, status, usage = finish(proc, proc.stdout)
    if status != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed")
    return {"wall_s": round(time.perf_counter() - started, 2), "flow_s": json.loads(stdout)["seconds"],
            "cpu_s": cpu_seconds(usage), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def cpu_seconds(usage) -> float:
    """CPU time of the measured process alone (not the Prefect server's, nor Dask workers')."""
    return round(usage.ru_utime + usage.ru_stime, 2)


def finish(proc: subprocess.Popen, pipe) -> tuple[bytes, int, object]:
    """Read ``pipe`` to its end, then reap ``proc`` with wait4, which gives its own peak RSS."""
    output = pipe.read()
    pipe.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return output, proc.returncode, usage


def direct(folder: Path, out: Path) -> int:
    """make_edition over every source in ``folder``, as many at once as the flow's thread pool runs."""
    from pipeline.config import Settings
    from pipeline.edition import make_edition
    from pipeline.ingest import discover

    settings = Settings(edition_date=DATE)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        outcomes = list(pool.map(lambda p: make_edition(p, out, settings, force=True), discover(folder)))
    seconds = time.perf_counter() - started
    assert all(o.status == "ok" for o in outcomes), [o.error for o in outcomes if o.status != "ok"]
    print(json.dumps({"seconds": round(seconds, 2)}))
    return 0


def rates(measured: dict, entry: dict) -> dict:
    return measured | {"documents_per_s": round(entry["documents"] / measured["flow_s"], 1),
                       "words_per_s": round(entry["words"] / measured["flow_s"])}


@contextmanager
def prefect_server(home: Path):
    """`prefect server start` on a free port of 127.0.0.1 with its own database; stopped afterwards."""
    port = free_port()
    env = os.environ | QUIET | {"PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    started = time.perf_counter()
    with spawn([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)], env, home):
        api_url = f"http://127.0.0.1:{port}/api"
        wait_for(lambda: urllib.request.urlopen(f"{api_url}/health", timeout=2).status == 200)
        yield api_url, round(time.perf_counter() - started, 1)


@contextmanager
def dask_cluster(folder: Path, workers: int):
    """`dask scheduler` and one single-thread `dask worker` per core on 127.0.0.1; stopped afterwards."""
    from distributed import Client

    scheduler_file = folder / "scheduler.json"
    env = os.environ | {"PYTHONPATH": str(REPO)}
    common = ["--host", "127.0.0.1", "--no-dashboard"]
    with spawn([str(BIN / "dask"), "scheduler", "--port", "0", "--scheduler-file", str(scheduler_file), *common],
               env, folder):
        wait_for(scheduler_file.exists)
        worker = [str(BIN / "dask"), "worker", "--scheduler-file", str(scheduler_file), "--nworkers", str(workers),
                  "--nthreads", "1", *common]
        with spawn(worker, env, folder), Client(scheduler_file=str(scheduler_file), set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=START_TIMEOUT)
            yield client.scheduler.address


@contextmanager
def spawn(cmd: list[str], env: dict, folder: Path):
    """A background process in its own process group (its log in ``folder``); the group is stopped on exit."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{Path(cmd[0]).name}-{cmd[1]}.log", "wb") as log:
        proc = subprocess.Popen(cmd, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            yield proc
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_for(ready, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"not ready after {timeout} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> dict:
    with open("/proc/meminfo") as f:
        mem_kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    from importlib.metadata import version

    return {"cpus": os.cpu_count(), "memory_gib": round(mem_kib / 1024 ** 2, 1), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(), "python": platform.python_version(),
            "prefect": version("prefect"), "distributed": version("distributed"),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d")}


def summary(results: dict) -> str:
    runs = results["inputs_run"]
    lines = [f"machine: {results['machine']['cpus']} cores, {results['machine']['memory_gib']} GiB, load average "
             f"{results['load_average_before']:.1f} before, {results['load_average_after']:.1f} after",
             f"`run` on inputs/: temporary server {runs['temporary_server_s']} s, "
             f"running server {runs['running_server_s']} s (server start {results['server_startup_s']} s)",
             f"{'docs':>6} {'words':>8} {'mode':<7} {'flow s':>7} {'wall s':>7} {'CPU s':>7} {'docs/s':>7} "
             f"{'words/s':>8} {'RSS MiB':>8}"]
    for n, entry in results["sizes"].items():
        for mode in ("local", "direct", "dask"):
            if mode in entry:
                r = entry[mode]
                lines.append(f"{n:>6} {entry['words']:>8} {mode:<7} {r['flow_s']:>7} {r['wall_s']:>7} {r['cpu_s']:>7} "
                             f"{r['documents_per_s']:>7} {r['words_per_s']:>8} {r['peak_rss_mib']:>8}")
    if "scaling" in results:
        sc = results["scaling"]
        lines.append(f"x{sc['documents']:.0f} documents: flow time x{sc['flow_time']}, wall time x{sc['wall_time']}, "
                     f"CPU time x{sc['cpu_time']}, peak RSS x{sc['peak_rss']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
