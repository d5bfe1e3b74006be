"""An existing Dask cluster: check that a run can rely on it before it starts.

The scheduler and every worker must be able to import this project (the
scheduler unpickles the task graph, workers run the tasks), and the workers
report their task runs to the Prefect server the flow uses, so it must be a
real server (PREFECT_API_URL), not the temporary one of a local run.
"""
from __future__ import annotations

import importlib.util

from pipeline.errors import EnvironmentProblem

CONNECT_TIMEOUT = "10s"


def check_cluster(address: str, api_url: str | None) -> int:
    """The number of worker threads at the Dask scheduler ``address``; raises what stops a run there."""
    if not api_url:
        raise EnvironmentProblem("--dask-address needs a Prefect server the workers can reach: start one "
                                 "(make server) and set PREFECT_API_URL, e.g. http://127.0.0.1:4200/api")
    from distributed import Client

    try:
        with Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False) as client:
            threads = sum(client.nthreads().values())
            on_scheduler = client.run_on_scheduler(importlib.util.find_spec, "pipeline")
            on_workers = client.run(importlib.util.find_spec, "pipeline")
    except (OSError, TimeoutError) as e:
        raise EnvironmentProblem(f"cannot reach the Dask scheduler at {address}: {e}; "
                                 "start it (dask scheduler) or fix --dask-address") from e
    if not threads:
        raise EnvironmentProblem(f"the Dask scheduler at {address} has no workers; start some (dask worker {address})")
    missing = (["the scheduler"] if on_scheduler is None else []) + sorted(w for w, s in on_workers.items() if s is None)
    if missing:
        raise EnvironmentProblem(f"the pipeline is not installed on {', '.join(missing)}: install the project "
                                 "(pip install archive-pipeline) on the scheduler and every worker")
    return threads
