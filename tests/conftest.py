"""Session checks: with SERIALCOMP_REQUIRE_TOOLS=1 (set by scripts/test.sh, so in CI) the outside
oracles must be there; otherwise their tests would skip and a run could pass without them."""

import os
import shutil

import pytest

REQUIRED_TOOLS = ("berkeley-abc", "yosys")


def pytest_sessionstart(session):
    if os.environ.get("SERIALCOMP_REQUIRE_TOOLS") != "1":
        return
    missing = [t for t in REQUIRED_TOOLS if shutil.which(t) is None]
    if missing:
        raise pytest.UsageError(
            f"SERIALCOMP_REQUIRE_TOOLS=1 but {', '.join(missing)} not on PATH: "
            "install Debian's berkeley-abc and yosys (scripts/test.sh does)")
