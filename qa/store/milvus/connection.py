"""Where a Milvus index is and this process's client for it: a ``.db`` or a server address, the
token from the environment (never from the address), one client per location."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from qa.errors import IndexBusy, IndexProblem

try:
    from pymilvus import MilvusClient, MilvusException
except ImportError as error:  # pragma: no cover - the message is what matters
    raise IndexProblem(
        "a Milvus index needs the Milvus client: pip install 'report-qa[milvus]' (pymilvus and milvus-lite)"
    ) from error

TOKEN_ENV = "QA_MILVUS_TOKEN"


class NoIndex(IndexProblem):
    def __init__(self, location: Location) -> None:
        super().__init__(f"no index in {location.text}: build it with 'qa index --index {location.text}'")


@dataclass(frozen=True)
class Location:
    """Where a Milvus index is: a Milvus Lite ``.db`` folder or a server address."""

    text: str  # as given, for messages and ``--index``
    uri: str  # what MilvusClient is given

    @property
    def lite(self) -> bool:
        return self.uri.endswith(".db")

    @classmethod
    def parse(cls, location: Path | str) -> Location:
        text = str(location)
        if text.startswith(("http://", "https://")):
            parsed = urlparse(text)
            if parsed.username or parsed.password:
                raise IndexProblem(
                    f"{parsed.scheme}://…@{parsed.hostname}: put the credentials in ${TOKEN_ENV}, not in the address "
                    "(a command line is seen by everyone on the machine)"
                )
            return cls(text, text.rstrip("/"))
        if not text.endswith(".db"):
            raise IndexProblem(f"{text}: not a Milvus location (a path ending in .db, or http(s)://host:port)")
        return cls(text, str(Path(text).expanduser().resolve()))


_clients: dict[str, MilvusClient] = {}
_clients_lock = threading.Lock()


def connect(location: Location, create: bool = False) -> MilvusClient:
    """The process's client for ``location`` (one per location: a ``.db`` is opened once per process).
    ``create``: make the ``.db`` folder, or the server's database named in the address, if missing."""
    with _clients_lock:
        client = _clients.get(location.uri)
        if client is not None:
            return client
        if location.lite and not Path(location.uri).exists():
            if not create:
                raise NoIndex(location)
            Path(location.uri).parent.mkdir(parents=True, exist_ok=True)
        token = os.environ.get(TOKEN_ENV, "")
        try:
            with _quiet("milvus_lite"):  # it logs a traceback for a .db held by another process
                if not location.lite:
                    _ensure_database(location, token, create)
                client = MilvusClient(location.uri, token=token, timeout=10)
        except MilvusException as error:
            raise _unreachable(location, error) from error
        _clients[location.uri] = client
        return client


def _ensure_database(location: Location, token: str, create: bool) -> None:
    """The database an address names (``http://host:port/NAME``), made when an update needs it."""
    parsed = urlparse(location.uri)
    name = parsed.path.strip("/").split("/")[0]
    if not name or name == "default":
        return
    root = MilvusClient(f"{parsed.scheme}://{parsed.netloc}", token=token, timeout=10)
    try:
        if name not in root.list_databases():
            if not create:
                raise NoIndex(location)
            root.create_database(name)
    finally:
        root.close()


@contextmanager
def _quiet(*names: str):
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _unreachable(location: Location, error: Exception) -> IndexProblem:
    if location.lite:
        return IndexBusy(
            f"{location.text} is open in another process (Milvus Lite lets one process use a database at a "
            "time): stop it, or serve the database with 'milvus-lite server --data-dir "
            f"{location.text} --host 127.0.0.1 --port 19530' and use --index http://127.0.0.1:19530"
        )
    return IndexProblem(f"cannot reach Milvus at {location.text}: {getattr(error, 'message', error)}")


def release(location: Path | str) -> None:
    """Close this process's client for ``location``; for a ``.db``, stop Milvus Lite's engine in this
    process too, so that another process can open the database (``close()`` alone keeps its lock)."""
    parsed = Location.parse(location)
    with _clients_lock:
        client = _clients.pop(parsed.uri, None)
    if client is not None:
        with contextlib.suppress(Exception):
            client.close()
    if parsed.lite:
        with contextlib.suppress(ImportError):
            from milvus_lite.server_manager import server_manager_instance

            server_manager_instance.release_server(parsed.uri)
