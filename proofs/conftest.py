"""pytest collects the catalogue: every group module's tests, and one test per claim of its ``CLAIMS``.

The group modules are not named ``test_*.py`` (they are the catalogue a reader opens), so this hook
collects them; a test function with a ``claim`` argument runs once per claim of its module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if (file_path.suffix == ".py" and file_path.resolve().parent == HERE
            and not file_path.name.startswith(("_", "test_", "conftest"))):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "claim" in metafunc.fixturenames:
        claims = list(getattr(metafunc.module, "CLAIMS", ()))
        metafunc.parametrize("claim", claims, ids=[c.id for c in claims])
