"""Keeping updates apart: ``kb.db.lock`` beside a ``.db``; on a server, a lease record in ``qa_meta``
(best effort: two writers racing within the same fraction of a second could both take it)."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

from pymilvus import MilvusClient, MilvusException

from qa.errors import IndexBusy
from qa.store.milvus.connection import Location
from qa.store.milvus.schema import DUMMY, LOCK, META, _create_meta, _load

LEASE_SECONDS = 60.0


@contextmanager
def lite_lock(location: Location, timeout: float):
    """``kb.db.lock`` beside the ``.db``: updates of one database on one machine wait for each other."""
    from filelock import FileLock, Timeout

    path = Path(location.uri)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(f"{path}.lock")
    try:
        lock.acquire(timeout=timeout)
    except Timeout as error:
        raise IndexBusy(
            f"another 'qa index' is updating {location.text} right now; wait for it to finish and try again"
        ) from error
    try:
        yield
    finally:
        lock.release()


@contextmanager
def server_lease(client: MilvusClient, location: Location, timeout: float):
    """A lease record in ``qa_meta``, renewed while held; one left by a process of this machine
    that is gone, or expired, is taken over."""
    _create_meta(client)
    _load(client, [META])
    me = {"owner": uuid.uuid4().hex, "host": socket.gethostname(), "pid": os.getpid()}
    deadline = time.monotonic() + timeout
    for _ in range(1_000_000):
        holder = _read_key(client, LOCK)
        if holder is None or _lease_free(holder):
            client.upsert(META, [{"key": LOCK, "value": {**me, "expires": time.time() + LEASE_SECONDS}, "_v": DUMMY}])
            time.sleep(0.2)  # another writer may have written at the same moment: the last one wins
            if (_read_key(client, LOCK) or {}).get("owner") == me["owner"]:
                break
        elif time.monotonic() >= deadline:
            raise IndexBusy(
                f"another 'qa index' (pid {holder.get('pid')} on {holder.get('host')}) is updating "
                f"{location.text} right now; wait for it to finish and try again"
            )
        time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(LEASE_SECONDS / 4):
            with contextlib.suppress(MilvusException):
                client.upsert(
                    META, [{"key": LOCK, "value": {**me, "expires": time.time() + LEASE_SECONDS}, "_v": DUMMY}]
                )

    renewer = threading.Thread(target=renew, name="qa-milvus-lease", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join(timeout=5)
        if (_read_key(client, LOCK) or {}).get("owner") == me["owner"]:
            client.delete(META, ids=[LOCK])


def _read_key(client: MilvusClient, key: str) -> dict | None:
    rows = client.query(META, ids=[key], output_fields=["value"])
    return dict(rows[0]["value"]) if rows else None


def _lease_free(holder: Mapping[str, object]) -> bool:
    if float(holder.get("expires", 0)) < time.time():  # type: ignore[arg-type]
        return True
    if holder.get("host") == socket.gethostname():
        try:
            os.kill(int(holder.get("pid", 0)), 0)  # type: ignore[arg-type]
        except ProcessLookupError:
            return True  # its process is gone (killed): the lease is stale
        except PermissionError:
            return False
    return False
