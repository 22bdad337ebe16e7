"""The login of a shared app (qa/web/login.py): where the password comes from, its minimum length,
and the throttle of failed logins. The live server's side is in tests/test_mcp.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.errors import IndexProblem
from qa.limits import LOGIN_FAILURES, MIN_PASSWORD_CHARS
from qa.web.login import LoginThrottle, credentials

PASSWORD = "a-long-password"


def test_the_password_can_come_from_the_environment_or_a_file(tmp_path: Path) -> None:
    """Issue 32: the password was visible in the process list (--auth USER:PASSWORD)."""
    assert credentials(f"analyst:{PASSWORD}", {}) == ("analyst", PASSWORD)  # still accepted
    assert credentials("analyst", {"QA_PASSWORD": PASSWORD}) == ("analyst", PASSWORD)
    secret = tmp_path / "login"
    secret.write_text(f"analyst:{PASSWORD}\n", encoding="utf-8")
    assert credentials(f"@{secret}", {}) == ("analyst", PASSWORD)
    assert credentials(None, {"QA_AUTH": f"analyst:{PASSWORD}"}) == ("analyst", PASSWORD)
    assert credentials(None, {}) is None
    with pytest.raises(IndexProblem, match=r"set the password in \$QA_PASSWORD"):
        credentials("analyst", {})
    with pytest.raises(IndexProblem, match="cannot read USER:PASSWORD"):
        credentials(f"@{tmp_path / 'missing'}", {})


@pytest.mark.parametrize("password", ["x", "12345678901"])
def test_a_short_password_is_refused(password: str) -> None:
    """Issue 32: a one-character password was accepted."""
    assert len(password) < MIN_PASSWORD_CHARS
    with pytest.raises(IndexProblem, match=f"at least {MIN_PASSWORD_CHARS} characters"):
        credentials(f"analyst:{password}", {})


def test_the_throttle_refuses_an_address_past_its_failures_until_the_oldest_is_old() -> None:
    throttle = LoginThrottle(window=1.5)
    for _ in range(LOGIN_FAILURES):
        assert throttle.wait("10.0.0.1") == 0
        throttle.failed("10.0.0.1")
    assert 1 <= throttle.wait("10.0.0.1") <= 2
    assert throttle.wait("10.0.0.2") == 0  # another address is not affected
    import time

    time.sleep(1.6)
    assert throttle.wait("10.0.0.1") == 0
