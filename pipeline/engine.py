"""Where a run's jobs execute: this process, a pool of local processes, or tasks on a Ray cluster.

An engine has one verb, `map(job, items)`: call `job(*item)` for every item
and yield the results in the items' order, whatever order they finish in, so
the output never depends on scheduling. At most a few items per worker are in
flight, so a large input is never all in memory. Every job writes its own
parts atomically and can be run again with the same result, which is what lets
Ray retry a task whose worker died.
"""
from __future__ import annotations

import ctypes
import os
import signal
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Protocol, TypeVar

from pipeline.config import EngineConfig

R = TypeVar("R")
_PR_SET_PDEATHSIG = 1
IN_FLIGHT_PER_WORKER = 2
RAY_TASK_RETRIES = 3
NODE_CHECK_SECONDS = 120


class EngineProblem(RuntimeError):
    """The engine asked for cannot be used (Ray missing, a cluster out of reach): a usage error."""


class Engine(Protocol):
    workers: int
    in_process: bool  # jobs run in the caller's process (they may report progress per document)

    def map(self, job: Callable[..., R], items: Iterable[tuple], light: bool = False) -> Iterator[R]:
        """`light`: each job is cheap beside starting a worker; a local engine runs it in this process."""

    def close(self) -> None: ...


def open_engine(config: EngineConfig, workers: int, shared: Sequence[Path] = ()) -> Engine:
    """The engine `config` names; `workers`: local processes (the Ray engine uses the cluster's CPUs); `shared`:
    the folders the jobs write and the files they read, which every node of a Ray cluster must see."""
    if config.name == "ray":
        return RayEngine(config.address or None, shared)
    return LocalEngine(workers)


class LocalEngine:
    """In this process (one worker), or in a pool of `workers` processes that end when this process ends.

    Each `map` has its own pool, closed when it ends: workers hold the stages' models and their pages, and
    the next step (dedup's clustering, the report) should not pay for them in memory."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.in_process = workers <= 1

    def map(self, job: Callable[..., R], items: Iterable[tuple], light: bool = False) -> Iterator[R]:
        if self.in_process or light:
            for item in items:
                yield job(*item)
            return
        with ProcessPoolExecutor(self.workers, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            pending: deque = deque()
            for item in items:
                pending.append(pool.submit(job, *item))
                while len(pending) > self.workers:  # bounded: one item per worker and one being prepared
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def close(self) -> None:
        pass


class RayEngine:
    """One Ray task per item, on the cluster at `address` (None: a Ray started on this machine for the run)."""

    def __init__(self, address: str | None, shared: Sequence[Path] = ()) -> None:
        try:
            import ray
        except ImportError:
            raise EngineProblem("--engine ray needs Ray: pip install 'scrape-pipeline[ray]' (or '.[ray]' in a checkout)") from None
        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            try:
                ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
            except Exception as e:  # noqa: BLE001 - Ray raises ConnectionError, RuntimeError or ValueError for an address
                raise EngineProblem(f"cannot use the Ray cluster at {address or 'a new local Ray'}: {type(e).__name__}: {e}".splitlines()[0]) from None
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        if len(nodes) > 1 and shared:
            blind = _nodes_not_seeing(ray, nodes, shared)
            if blind:
                self.close()
                where, path = blind[0]
                raise EngineProblem(
                    f"{len(blind)} of the Ray cluster's {len(nodes)} nodes cannot see what the run reads or writes (node {where}: {path}): give every "
                    "node the same shared folders (for an s3:// or gs:// output, set output.staging to one; inputs may be URIs), or run on one node"
                )
        self.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.in_process = False
        self._task = ray.remote(max_retries=RAY_TASK_RETRIES)(_call)

    def map(self, job: Callable[..., R], items: Iterable[tuple], light: bool = False) -> Iterator[R]:
        ray = self._ray
        job_ref = ray.put(job)  # shipped once, not with every task
        pending: deque = deque()
        for item in items:
            pending.append(self._task.remote(job_ref, *item))
            while len(pending) > IN_FLIGHT_PER_WORKER * self.workers:
                yield ray.get(pending.popleft())
        while pending:
            yield ray.get(pending.popleft())

    def close(self) -> None:
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()


def _call(job: Callable[..., R], *args) -> R:
    return job(*args)


def _nodes_not_seeing(ray, nodes: list[dict], shared: Sequence[Path]) -> list[tuple[str, Path]]:
    """(node address, first path it does not see) of the nodes that miss one of `shared`: a folder is checked by a
    probe file written here, a file as it is, by a task pinned to each node."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    probes = [path / f".probe-{uuid.uuid4().hex}" for path in shared if path.is_dir()]
    for probe in probes:
        probe.write_text("written by the run's driver\n")
    wanted = [str(p) for p in probes] + [str(p) for p in shared if not p.is_dir()]
    try:
        missing = ray.remote(num_cpus=0)(_missing)
        refs = [missing.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote(wanted) for n in nodes]
        found = ray.get(refs, timeout=NODE_CHECK_SECONDS)
    finally:
        for probe in probes:
            probe.unlink(missing_ok=True)
    return [(n.get("NodeManagerAddress", n["NodeID"]), Path(gone).parent if ".probe-" in gone else Path(gone)) for n, gone in zip(nodes, found) if gone]


def _missing(paths: list[str]) -> str | None:
    return next((p for p in paths if not os.path.exists(p)), None)


def _die_with_parent(parent: int) -> None:
    """Worker set-up: end when the run's process ends, however it ends (Linux's PR_SET_PDEATHSIG), so no worker
    goes on writing parts for a run that is gone."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still ends idle workers
        pass
    if os.getppid() != parent:  # the run died before the signal was set up
        os._exit(1)
