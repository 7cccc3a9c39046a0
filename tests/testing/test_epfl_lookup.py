"""Locating the EPFL benchmarks: the environment variable wins, and a wrong one is an error."""

import pytest

from serialcomp.testing.benchmarks import EPFL_ENV, epfl_dir


def test_env_var_points_at_folder(tmp_path, monkeypatch):
    (tmp_path / "ctrl.aig").write_bytes(b"aig 0 0 0 0 0\n")
    monkeypatch.setenv(EPFL_ENV, str(tmp_path))
    assert epfl_dir() == tmp_path.resolve()


def test_env_var_without_circuits_is_an_error_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv(EPFL_ENV, str(tmp_path))
    with pytest.raises(FileNotFoundError, match=EPFL_ENV):
        epfl_dir()


def test_found_folder_holds_the_suite(monkeypatch):
    monkeypatch.delenv(EPFL_ENV, raising=False)
    found = epfl_dir()
    if found is None:
        with pytest.raises(FileNotFoundError, match="Looked in"):
            epfl_dir(required=True)
    else:
        assert (found / "ctrl.aig").is_file() and len(list(found.glob("*.aig"))) == 20
