"""`serialcomp zoo --out DIR`: the zoo's own files are replaced as a set (other files stay), and an
interrupted or failing run leaves the previous set exactly as it was."""

import signal
from pathlib import Path

import pytest

from serialcomp.cli import main
from serialcomp.testing.cli import assert_one_line_error, full_disk, interrupt_when, run_cli, temporary_output_of

def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _old_zoo(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A zoo of parity and majority, with a README beside it."""
    out = tmp_path / "circuits"
    assert main(["zoo", "--out", str(out), "--problems", "parity", "majority"]) == 0
    (out / "README.md").write_text("the zoo's own notes\n")
    return out, _tree(out)


def test_zoo_command_writes_manifest(tmp_path, capsys):
    assert main(["zoo", "--out", str(tmp_path), "--problems", "parity"]) == 0
    assert "parity" in (tmp_path / "manifest.csv").read_text()
    assert list((tmp_path / "parity").glob("*.aig")) and list((tmp_path / "parity").glob("*.thr"))
    assert "wrote" in capsys.readouterr().out


def test_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["zoo", "--help"])
    assert e.value.code == 0 and "usage" in capsys.readouterr().out


def test_a_new_zoo_replaces_the_old_set_and_keeps_other_files(tmp_path, capsys):
    """After a zoo of parity only, the folder holds exactly that zoo (majority's folder, which the
    new manifest does not list, is gone) and the README, untouched."""
    out, before = _old_zoo(tmp_path)
    fresh = tmp_path / "fresh"
    assert main(["zoo", "--out", str(fresh), "--problems", "parity"]) == 0
    assert main(["zoo", "--out", str(out), "--problems", "parity"]) == 0
    after = _tree(out)
    assert after.pop("README.md") == before["README.md"]
    assert after == _tree(fresh)
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "manifest.csv", "parity"]


def test_out_that_is_a_file_is_one_line(tmp_path, capsys):
    f = tmp_path / "circuits"
    f.write_text("a file")
    assert main(["zoo", "--out", str(f), "--problems", "parity"]) == 1
    err = capsys.readouterr().err
    assert err == f"serialcomp zoo: error: --out {f}: exists and is not a folder\n" and f.read_text() == "a file"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_zoo_keeps_the_previous_set(tmp_path, sig):
    """The signal arrives while the new zoo is being built in its temporary folder (every problem:
    seconds of work): the old set and the README are as they were, and nothing is left over."""
    out, before = _old_zoo(tmp_path)
    r = interrupt_when(["zoo", "--out", str(out)], tmp_path, sig, temporary_output_of(out, out.name), settle=0.5)
    assert r.returncode == 130 and r.stderr == "serialcomp: interrupted\n", r.stderr
    assert _tree(out) == before and not any(p.name.startswith(".") for p in out.iterdir())


def test_a_zoo_on_a_full_disk_keeps_the_previous_set(tmp_path):
    out, before = _old_zoo(tmp_path)
    r = run_cli("zoo", "--out", str(out), "--problems", "parity", "word:S5", cwd=tmp_path,
                preexec=full_disk(20_000))  # word:S5's AIGs do not fit
    assert_one_line_error(r, "serialcomp zoo: error: ")
    assert _tree(out) == before and not any(p.name.startswith(".") for p in out.iterdir())
