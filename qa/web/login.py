"""The login of a shared app: where its password comes from, how long it must be, and how often a
client may get it wrong.

The password is read from the environment or a file, so that it need not stand in the process list
(``ps`` shows every argument): ``--auth USER`` takes it from ``$QA_PASSWORD``, ``--auth @FILE`` reads
``USER:PASSWORD`` from the file's first line, and with no ``--auth`` at all ``$QA_AUTH``
(``USER:PASSWORD``) is used when set. ``--auth USER:PASSWORD`` still works.

:class:`LoginThrottle` counts failed logins per client address, on the page's login form and on
the MCP endpoint alike: past :data:`~qa.limits.LOGIN_FAILURES` failures within
:data:`~qa.limits.LOGIN_WINDOW_SECONDS`, that address is refused (429, with ``Retry-After``) until
the oldest of them is that old, even with the right password.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from qa.errors import IndexProblem
from qa.limits import LOGIN_FAILURES, LOGIN_WINDOW_SECONDS, MIN_PASSWORD_CHARS

PASSWORD_ENV = "QA_PASSWORD"
AUTH_ENV = "QA_AUTH"


def credentials(auth: str | None, environ: Mapping[str, str]) -> tuple[str, str] | None:
    """(user, password) from ``--auth`` or the environment, or None for no login; an
    :class:`~qa.errors.IndexProblem` that says what to do when they are unusable."""
    if auth is None:
        auth = environ.get(AUTH_ENV) or None
        if auth is None:
            return None
    if auth.startswith("@"):
        path = Path(auth[1:]).expanduser()
        try:
            auth = path.read_text(encoding="utf-8").splitlines()[0].strip() if path.stat().st_size else ""
        except (OSError, UnicodeDecodeError, IndexError) as error:
            raise IndexProblem(f"--auth @{path}: cannot read USER:PASSWORD from it ({error})") from None
    user, colon, password = auth.partition(":")
    if not colon:
        password = environ.get(PASSWORD_ENV, "")
        if not password:
            raise IndexProblem(f"--auth {user}: set the password in ${PASSWORD_ENV} (or give --auth @FILE)")
    if not user or not password:
        raise IndexProblem("--auth needs USER:PASSWORD, USER with the password in $QA_PASSWORD, or @FILE")
    if len(password) < MIN_PASSWORD_CHARS:
        raise IndexProblem(f"the password is too short: at least {MIN_PASSWORD_CHARS} characters")
    return user, password


class LoginThrottle:
    """Failed logins per client address within the window; thread-safe."""

    def __init__(self, failures: int = LOGIN_FAILURES, window: float = LOGIN_WINDOW_SECONDS) -> None:
        self.failures, self.window = failures, window
        self._failed: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """Seconds before ``client`` may try again (0: now)."""
        with self._lock:
            times = self._recent(client, time.monotonic())
            if len(times) < self.failures:
                return 0
            return max(1, int(times[0] + self.window - time.monotonic()) + 1)

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client, time.monotonic()).append(time.monotonic())

    def _recent(self, client: str, now: float) -> collections.deque[float]:
        times = self._failed.setdefault(client, collections.deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(self._failed) > 10_000:  # forget addresses with nothing recent, so memory stays bounded
            for address in [key for key, value in self._failed.items() if not value and key != client]:
                del self._failed[address]
        return times


def client_address(scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def refuse_for(send, seconds: int) -> None:
    """429 Too Many Requests, saying when to try again."""
    body = f"429: too many failed logins from this address; try again in {seconds} s.\n".encode()
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(seconds).encode()),
    ]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


class ThrottledLogin:
    """ASGI middleware in front of Gradio's login form (``POST .../login``): an address past its
    failures is refused before the form is checked; a refusal (status 400/401) counts as a failure."""

    def __init__(self, app, throttle: LoginThrottle) -> None:
        self.app, self.throttle = app, throttle

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") != "POST" or not path.rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        client = client_address(scope)
        seconds = self.throttle.wait(client)
        if seconds:
            await refuse_for(send, seconds)
            return

        async def watched(message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (400, 401, 403):
                self.throttle.failed(client)
            await send(message)

        await self.app(scope, receive, watched)
