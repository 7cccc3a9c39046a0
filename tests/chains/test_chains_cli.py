"""`serialcomp chains`: the rows the issue specifies, the paper's statistics within sampling error, the sweep's files."""

import json

import numpy as np
import pandas as pd
import pytest

from serialcomp.chains.study import COLUMNS, chain_table
from serialcomp.cli import main

LMT5 = ["--problem", "reach:flower", "--n", "51", "--param", "layout=lmt", "--param", "petals=5"]


def run_json(capsys, args):
    assert main(["chains", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_one_row_per_k_with_the_listed_columns(capsys):
    rows = run_json(capsys, [*LMT5, "--strategy", "dfs", "--budget", "30", "--k", "1", "4", "16", "--count", "20"])
    assert [list(r) for r in rows] == [COLUMNS] * 3
    assert [r["k"] for r in rows] == [1, 4, 16] and {r["petals"] for r in rows} == {5}
    assert {r["budget"] for r in rows} == {30} and {r["strategy"] for r in rows} == {"dfs"}
    assert main(["chains", *LMT5, "--k", "1", "2", "--count", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == COLUMNS and len(lines) == 3 and lines[1].split()[2] == "none"


def test_exact_rows_are_the_papers_values(capsys):
    rows = run_json(capsys, [*LMT5, "--k", "1", "--exact", "--count", "3"])
    assert rows[0]["path_is_shortest"] == 2**-5 and abs(rows[0]["mean_trace_len"] - 38) < 1e-9
    assert rows[0]["single_success"] == rows[0]["any_at_k"] == rows[0]["maj_at_k"] == 1.0 and rows[0]["budget"] is None
    rows = run_json(capsys, [*LMT5, "--k", "1", "64", "--budget", "14", "--exact"])
    assert [r["any_at_k"] for r in rows] == [0.5, 0.5]  # below the shortest distance 15: chance
    table = chain_table(51, "dfs", 15, [1, 64], count=100, exact=True, layout="lmt")
    rows = run_json(capsys, [*LMT5, "--k", "1", "64", "--budget", "15", "--exact"])
    assert [r["maj_at_k"] for r in rows] == table.maj_at_k.tolist()
    assert abs(rows[1]["any_at_k"] - (1 - (1 - 1 / 768) ** 64 / 2)) < 1e-12


def test_monte_carlo_reproduces_the_papers_dfs_statistics(capsys):
    """2**-d shortest paths and 8d - 2 mean trace length, within 4.5 standard errors."""
    rows = run_json(capsys, [*LMT5, "--k", "8", "--count", "400", "--seed", "3", "--errors"])
    r = rows[0]
    assert abs(r["path_is_shortest"] - 2**-5) < 4.5 * r["se_shortest"]
    assert abs(r["mean_trace_len"] - 38) < 4.5 * r["se_trace_len"]
    rows = run_json(capsys, [*LMT5, "--strategy", "walk", "--budget", "60", "--k", "1", "4", "--count", "300",
                             "--errors"])
    exact = chain_table(51, "walk", 60, [1, 4], count=1, exact=True, layout="lmt")
    for r, (_, e) in zip(rows, exact.iterrows()):
        for col, se in (("single_success", "se_single"), ("any_at_k", "se_any"), ("maj_at_k", "se_maj")):
            assert abs(r[col] - e[col]) < 4.5 * max(r[se], 1e-3), (col, r, e[col])


def test_random_layout_exact_and_monte_carlo_agree(capsys):
    args = ["--n", "40", "--param", "petals=5", "--strategy", "dfs", "--budget", "25", "--k", "1", "8", "--count", "300"]
    mc = run_json(capsys, [*args, "--errors"])
    ex = run_json(capsys, [*args, "--exact"])
    for a, b in zip(mc, ex):
        assert abs(a["any_at_k"] - b["any_at_k"]) < 4.5 * a["se_any"] + 1e-9
        assert abs(a["mean_trace_len"] - b["mean_trace_len"]) < 4.5 * a["se_trace_len"] + 1e-9


@pytest.mark.parametrize("args,msg", [
    (["--k", "1"], "--n N is required"),
    (["--n", "50", "--param", "layout=lmt"], "n = petals*(short + long + dead - 1) + 1"),
    (["--problem", "reach:path", "--n", "20"], "chains search the (s, t1, t2) task of reach:flower"),
    (["--n", "51", "--param", "seed=3"], "--param seed=...: seed is not a problem parameter"),
    (["--sweep", "--out", "no/such/dir"], "no such folder"),
])
def test_errors_are_one_line(capsys, args, msg):
    assert main(["chains", *args]) == 1
    err = capsys.readouterr().err.strip()
    assert msg in err and len(err.splitlines()) == 1 and err.startswith("serialcomp chains: error:")


def test_sweep_writes_both_files_and_an_error_keeps_the_previous_ones(capsys, tmp_path, monkeypatch):
    assert main(["chains", "--sweep", "--out", str(tmp_path), "--petals", "1", "2", "3", "--depth", "3"]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "chains.parquet" in out
    t = pd.read_parquet(tmp_path / "chains.parquet")
    assert set(COLUMNS) <= set(t.columns) and sorted(set(t.petals)) == [1, 2, 3]
    assert set(t.strategy) == {"dfs", "bfs", "walk", "shortest"}
    png = (tmp_path / "chains.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    dfs5 = t[(t.strategy == "dfs") & (t.petals == 3) & t.budget.isna() & (t.k == 1)]
    assert dfs5.path_is_shortest.iloc[0] == 2**-3 and dfs5.mean_trace_len.iloc[0] == pytest.approx(22)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    import serialcomp.chains.study as study

    def broken(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(study, "plot_sweep", broken)
    assert main(["chains", "--sweep", "--out", str(tmp_path), "--petals", "1", "2", "--depth", "2"]) == 1
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing new, nothing half-written
    monkeypatch.undo()
    assert main(["chains", "--sweep", "--out", str(tmp_path), "--petals", "2", "--depth", "2", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["summary"][0]["dfs_shortest"] == 0.25 and sorted(p.name for p in tmp_path.iterdir()) == sorted(before)
    assert sorted(set(pd.read_parquet(tmp_path / "chains.parquet").petals)) == [2]


def test_sweep_makes_its_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "results.parquet").write_bytes(b"the study's")
    assert main(["chains", "--sweep", "--petals", "1", "2", "--depth", "2"]) == 0
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["chains.parquet", "chains.png", "results.parquet"]
    assert main(["chains", "--sweep", "--petals", "1", "--depth", "1", "--out", "fresh"]) == 0
    assert sorted(p.name for p in (tmp_path / "fresh").iterdir()) == ["chains.parquet", "chains.png"]


def test_sweep_rows_are_exact_values():
    from serialcomp.chains.study import sweep
    from serialcomp.chains.vote import maj_at_k

    t = sweep([4], ["dfs"], [1, 8])
    row = t[(t.budget == 12) & (t.k == 8)].iloc[0]
    assert row.maj_at_k == maj_at_k(1 / (3 * 4**3), 8) and row.compute == 96
    assert np.isclose(row.any_at_k, 1 - (1 - 1 / 192) ** 8 / 2)
