"""`serialcomp claims`: the catalogue listed (a table, or JSON rows with the issue's fields), checked
(verified or failed per claim, exit status 1 on a failure), and its errors one line each."""

from __future__ import annotations

import json
import textwrap

import pytest

from serialcomp.claims import load_catalogue
from serialcomp.cli import main
from serialcomp.testing.cli import assert_one_line_error, run_cli

#: The fields every JSON row has (the issue's list); SAT rows add min_depth (once checked) and basis.
FIELDS = {"id", "statement", "subject", "n", "model", "kind", "methods", "formula", "checked", "status"}
#: Two claims whose checks take well under a second: a SAT row and an exhaustive one.
FAST = ["sat.majority3", "fanin.trivial_lower"]


@pytest.fixture(scope="module")
def ids() -> list[str]:
    return [c.id for c in load_catalogue()]


def _json(capsys, *args: str) -> list[dict]:
    assert main(["claims", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_lists_every_id(capsys, ids):
    assert main(["claims"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["id", "kind", "model", "subject"]
    listed = [line.split()[0] for line in lines[2:] if line.strip() and not line.startswith(f"{len(ids)} claims")]
    assert listed == ids
    assert f"{len(ids)} claims in {len({c.group for c in load_catalogue()})} groups" in out


def test_json_rows_have_the_issue_fields(capsys, ids):
    rows = _json(capsys, "--json")
    assert [r["id"] for r in rows] == ids
    for r in rows:
        assert FIELDS <= set(r), (r["id"], FIELDS - set(r))
        assert r["status"] == "unchecked" and r["checked"] is None
        assert r["methods"] and r["model"]["label"] and r["kind"] in ("upper", "lower", "exact", "separation",
                                                                        "conjecture")
        assert r["proven"] is (r["kind"] != "conjecture")
    sat = [r for r in rows if r["id"].startswith("sat.")]
    assert len(sat) >= 11
    assert all(r["basis"] == "AND/OR, fan-in 2, NOT free" and isinstance(r["n"], int) for r in sat)


def test_check_two_fast_claims(capsys):
    assert main(["claims", "--check", "--id", *FAST]) == 0
    out = capsys.readouterr().out
    verified = [line.split()[1] for line in out.splitlines() if line.startswith("verified")]
    assert verified == FAST
    assert "checked: UNSAT at depths 0, 1, 2" in out
    assert "2 verified, 0 failed, 0 skipped of 2 claims" in out


def test_check_json_sat_row_has_min_depth_and_basis(capsys):
    rows = _json(capsys, "--check", "--json", "--id", FAST[0], FAST[0])  # a repeated id is checked once
    assert len(rows) == 1
    (r,) = rows
    assert FIELDS <= set(r) and r["status"] == "verified" and r["checked"]
    assert r["min_depth"] == 3 and r["basis"] == "AND/OR, fan-in 2, NOT free" and r["n"] == 3
    assert r["formula"] == "3" and r["kind"] == "exact" and r["methods"] == ["sat", "exhaustive"]


def test_unknown_id_is_one_line(tmp_path):
    r = run_cli("claims", "--id", "fanin.trivial_lower", "no.such_claim", cwd=tmp_path)
    assert_one_line_error(r, "no.such_claim", "serialcomp claims")
    assert r.stdout == ""


def test_missing_proofs_folder_is_one_line(tmp_path):
    r = run_cli("claims", "--proofs", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert_one_line_error(r, "nowhere")


DEMO = '''
import sympy
from serialcomp.claims import AND_OR, CheckResult, Claim, Step
from serialcomp.ir.family import N

def broken():
    raise RuntimeError("the check crashed")

CLAIMS = [
    Claim("demo.holds", "1 = 1 in AND/OR.", sympy.Integer(1), "nothing", AND_OR, "exact",
          lambda: CheckResult(True, "n = 1"), ["exhaustive"], [Step("one", 1, 1)]),
    Claim("demo.fails", "A wrong claim, on purpose.", sympy.Integer(2), "nothing", AND_OR, "exact",
          lambda: CheckResult(False, "n = 1..3", "wrong at n = 2"), ["simulation"]),
    Claim("demo.crashes", "A check that raises.", sympy.Integer(0), "nothing", AND_OR, "upper", broken,
          ["simulation"]),
    Claim("demo.bad_step", "A derivation that does not hold.", N, "nothing", AND_OR, "upper",
          derivation=[Step("n <= n - 1", N, N - 1, "<=")]),
]
'''


@pytest.fixture
def demo_proofs(tmp_path):
    folder = tmp_path / "proofs"
    folder.mkdir()
    (folder / "demo.py").write_text(textwrap.dedent(DEMO))
    (folder / "_helper.py").write_text("raise RuntimeError('modules starting with _ are not groups')\n")
    return folder


def test_a_failing_check_exits_1(capsys, demo_proofs):
    assert main(["claims", "--proofs", str(demo_proofs), "--id", "demo.holds"]) == 0
    assert "demo.holds" in capsys.readouterr().out
    assert main(["claims", "--check", "--proofs", str(demo_proofs)]) == 1
    out = capsys.readouterr().out
    marks = {line.split()[1]: line.split()[0] for line in out.splitlines()
             if line.split() and line.split()[0] in ("verified", "FAILED")}
    assert marks == {"demo.holds": "verified", "demo.fails": "FAILED", "demo.crashes": "FAILED",
                     "demo.bad_step": "FAILED"}
    assert "wrong at n = 2" in out and "RuntimeError: the check crashed" in out and "derivation step 1" in out
    assert "1 verified, 3 failed, 0 skipped of 4 claims" in out
    # only the passing one: exit 0
    assert main(["claims", "--check", "--proofs", str(demo_proofs), "--id", "demo.holds"]) == 0
    capsys.readouterr()


def test_a_failing_check_in_json(capsys, demo_proofs):
    assert main(["claims", "--check", "--json", "--proofs", str(demo_proofs), "--id", "demo.fails"]) == 1
    (row,) = json.loads(capsys.readouterr().out)
    assert row["status"] == "failed" and row["detail"] == "wrong at n = 2" and row["checked"] == "n = 1..3"


def test_a_failing_check_in_a_fresh_process(demo_proofs):
    r = run_cli("claims", "--check", "--proofs", str(demo_proofs), "--id", "demo.fails", cwd=demo_proofs.parent)
    assert r.returncode == 1, r.stderr
    assert "FAILED    demo.fails" in r.stdout and "0 verified, 1 failed" in r.stdout


def test_a_module_without_claims_is_one_line(tmp_path):
    folder = tmp_path / "proofs"
    folder.mkdir()
    (folder / "empty.py").write_text("X = 1\n")
    r = run_cli("claims", "--proofs", str(folder), cwd=tmp_path)
    assert_one_line_error(r, "empty.py", "CLAIMS")


def test_a_repeated_id_is_one_line(tmp_path, demo_proofs):
    (demo_proofs / "again.py").write_text(textwrap.dedent(DEMO))
    r = run_cli("claims", "--proofs", str(demo_proofs), cwd=tmp_path)
    assert_one_line_error(r, "demo.holds", "twice")
