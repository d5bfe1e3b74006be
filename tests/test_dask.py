"""The flow on a Dask cluster: a scheduler and two worker processes on localhost."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from pipeline.cli import main
from pipeline.validate import validate_file

REPO = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).parent / "dask"  # the CLI installed beside this Python
START_TIMEOUT = 60


def _spawn(args, cwd, log):
    """A `dask` command that can import the project, in its own process group (so teardown stops all of it)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([str(DASK), *args], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """`dask scheduler` and two `dask worker` processes (one thread each) on 127.0.0.1; stopped afterwards."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    log = open(folder / "cluster.log", "wb")
    common = ["--host", "127.0.0.1", "--no-dashboard"]
    procs = [_spawn(["scheduler", "--port", "0", "--scheduler-file", str(scheduler_file), *common], folder, log)]
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not scheduler_file.exists():
            assert time.monotonic() < deadline and procs[0].poll() is None, (folder / "cluster.log").read_text()
            time.sleep(0.2)
        for _ in range(2):
            procs.append(_spawn(["worker", "--scheduler-file", str(scheduler_file), "--nworkers", "1",
                                 "--nthreads", "1", *common], folder, log))
        with Client(scheduler_file=str(scheduler_file), timeout="30s", set_as_default=False) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
            yield client.scheduler.address
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def _tei(out):
    return {p.name: p.read_bytes() for p in (out / "tei").iterdir()}


def test_dask_run_gives_the_same_valid_tei_as_a_local_run(prefect_harness, dask_cluster, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    generate(inbox, 100)
    args = ["--date", "2026-01-15"]
    assert main(["run", str(inbox), "--out", str(tmp_path / "local"), *args]) == 0
    assert main(["run", str(inbox), "--out", str(tmp_path / "dask"), "--dask-address", dask_cluster, *args]) == 0
    assert "[100/100]" in capsys.readouterr().err
    local, dask = _tei(tmp_path / "local"), _tei(tmp_path / "dask")
    assert len(dask) == 100 and dask == local
    assert all(validate_file(tmp_path / "dask" / "tei" / name) == [] for name in dask)
    reports = [json.loads((tmp_path / out / "report.json").read_text())["sources"] for out in ("local", "dask")]
    assert [{**s, "seconds": 0} for s in reports[0]] == [{**s, "seconds": 0} for s in reports[1]]


def test_dask_address_needs_a_reachable_scheduler(prefect_harness, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("pipeline.cluster.CONNECT_TIMEOUT", "1s")
    (tmp_path / "in").mkdir()
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--dask-address", "tcp://127.0.0.1:9"]) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
