"""Training the tiny config: learning happens (accuracy against the problem's reference solver well
above the most common answer, and more loops beat one), runs are deterministic under a seed,
checkpoints round-trip and are written whole, predictions for dataset records score like
evaluate, and the loops study finds L*(n) from its own table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

torch = pytest.importorskip("torch")

from serialcomp import __version__  # noqa: E402
from serialcomp.errors import ProblemParameterError, SerialcompError  # noqa: E402
from serialcomp.problems.export import export_records  # noqa: E402
from serialcomp.torch.models import (  # noqa: E402
    HaltRule, LoopConfig, evaluate, get_config, l_star, learning_rate, load_model, loops_study, predict,
    predict_records, train, write_loops_study,
)

pytestmark = pytest.mark.usefixtures("torch_one_thread")


@pytest.fixture(scope="module")
def tiny(device):
    """The tiny preset, trained once for this file (about 15 s on one core)."""
    return train(get_config("tiny"), device=device)


def _same_weights(a, b):
    sa, sb = a.model.state_dict(), b.model.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k].cpu(), sb[k].cpu()) for k in sa)


def test_learning_happened(tiny):
    """Held against the reference solver (Instances.solve, plain-Python composition), not against
    the generator's stored targets or the model: accuracy at the training size is far above the
    rate of always answering the most common product, and loops matter."""
    n, L = tiny.config.n_train, tiny.config.loops_train
    inst = tiny.task.sample(n, 512, seed=11)
    truth = np.array([inst.solve(i) for i in range(len(inst))])
    chance = np.bincount(truth).max() / len(truth)
    acc = {loops: float((predict(tiny, inst, HaltRule("fixed", loops)).record == truth).mean()) for loops in (1, L)}
    assert acc[L] >= chance + 0.3, (acc, chance)
    assert acc[L] >= acc[1] + 0.1, acc
    assert tiny.metadata["held_out"]["loops_train"] >= chance + 0.3
    assert tiny.metadata["final_loss"] < np.log(tiny.task.classes) - 0.3  # below the loss of guessing


def test_evaluate_scores_the_records_of_generate(tiny):
    """evaluate's accuracy is the fraction of records (sampled as serialcomp generate samples
    them) whose target the model predicts, computed here record by record from export_records."""
    table = evaluate(tiny, [3, 4], [1, 4], count=200, seed=5)
    for (n, loops), row in table.set_index(["n", "loops"]).iterrows():
        recs = list(export_records(tiny.task.sample(n, 200, seed=5)))
        out = list(predict_records(tiny, recs, HaltRule("fixed", loops)))
        assert [o["index"] for o in out] == list(range(200))
        assert row["accuracy"] == pytest.approx(np.mean([o["prediction"] == r["target"] for o, r in zip(out, recs)]))
        assert row["chance"] == pytest.approx(pd.Series([r["target"] for r in recs]).value_counts().iloc[0] / 200)
    assert ((table["loops_mean"] == table["loops"]) & (table["halted"] == 1.0)).all()


def test_predictions_take_the_form_of_each_records_target(tiny):
    readable = list(export_records(tiny.task.sample(4, 50, seed=2)))
    raw = list(export_records(tiny.task.sample(4, 50, seed=2), readable=False))
    rule = HaltRule("fixed-point", 12)
    a = list(predict_records(tiny, readable, rule))
    b = list(predict_records(tiny, raw, rule))
    elements = list(tiny.task.problem.columns(tiny.task.sample(4, 1, 0))["word"].categories)  # one-line texts
    assert all(type(o["prediction"]) is str for o in a) and all(type(o["prediction"]) is int for o in b)
    assert all(type(r["target"]) is str for r in readable) and all(type(r["target"]) is int for r in raw)
    # the same answers in two forms: the element's one-line text and its index
    assert [elements.index(x["prediction"]) for x in a] == [y["prediction"] for y in b]
    assert [o["loops"] for o in a] == [o["loops"] for o in b]


def test_records_are_read_from_their_inputs_not_resampled(tiny):
    """Changing a record's word changes its prediction input: the model reads the record."""
    recs = list(export_records(tiny.task.sample(4, 30, seed=2), readable=False))
    rule = HaltRule("fixed", 4)
    base = [o["prediction"] for o in predict_records(tiny, recs, rule)]
    edited = [dict(r, word=[0, 0, 0, 0]) for r in recs]  # the identity word: its product is element 0
    preds = [o["prediction"] for o in predict_records(tiny, edited, rule)]
    assert len(set(preds)) == 1 and preds != base


def test_bad_records_are_one_line_errors(tiny):
    rule = HaltRule("fixed", 2)
    good = next(export_records(tiny.task.sample(4, 1, seed=0)))
    cases = [(dict(good, problem="word:S5"), "model reads word:Z5"), ({k: v for k, v in good.items() if k != "word"},
             "no input field 'word'"), (dict(good, word=["01234", "xyz", "01234", "01234"]), "not an element"),
             (dict(good, word=[0, 1]), "shape"), ({k: v for k, v in good.items() if k != "n"}, "no 'n'"),
             (dict(good, word=[0, 1, 7, 2]), "token id 7 is outside"), (dict(good, word=[0, -1, 1, 2]), "token id -1"),
             (dict(good, word=[0, 70001, 1, 2]), "outside the problem's range")]
    for rec, match in cases:
        with pytest.raises(ProblemParameterError, match=match):
            list(predict_records(tiny, [rec], rule))


def test_answer_changing_parameters_must_match():
    lm = train(LoopConfig(problem="ca:rule110", n_train=8, params={"t": 3}, width=16, heads=2, steps=1,
                          loops_train=2, backprop_loops=2, eval_count=8))
    rec = next(export_records(lm.task.sample(8, 1, seed=0)))
    assert len(list(predict_records(lm, [rec], HaltRule("fixed", 2)))) == 1
    other = next(export_records(lm.task.problem.sample(8, 1, 0, t=5)))
    with pytest.raises(ProblemParameterError, match="t=5 but the model was trained for t=3"):
        list(predict_records(lm, [other], HaltRule("fixed", 2)))


def test_training_is_deterministic_under_a_seed():
    cfg = get_config("tiny", steps=25, eval_count=16)
    a, b = train(cfg), train(cfg)
    assert _same_weights(a, b) and a.metadata["final_loss"] == b.metadata["final_loss"]
    c = train(cfg.replace(seed=1))
    assert not _same_weights(a, c)
    # the global torch RNG is left as it was (the init runs in a forked RNG state)
    torch.manual_seed(123)
    x = torch.rand(3)
    torch.manual_seed(123)
    train(get_config("tiny", steps=1, eval_count=8))
    assert torch.equal(torch.rand(3), x)


def test_learning_rate_warms_up_then_decays():
    c = get_config("tiny", steps=200, warmup=20, lr=1e-2, lr_min_ratio=0.05)
    lrs = [learning_rate(s, c) for s in range(200)]
    assert all(x < y for x, y in zip(lrs[:19], lrs[1:20])) and lrs[19] == pytest.approx(1e-2) == lrs[20]
    assert all(x >= y for x, y in zip(lrs[20:], lrs[21:])) and lrs[-1] == pytest.approx(5e-4)


def test_time_limit_stops_training():
    lm = train(get_config("tiny", steps=10_000, eval_count=8), time_limit=0.5)
    assert 0 < lm.metadata["steps_done"] < 10_000 and lm.metadata["steps"] == 10_000


def test_checkpoint_round_trip(tiny, tmp_path):
    path = tmp_path / "m.pt"
    tiny.save(path)
    back = load_model(path)
    assert _same_weights(tiny, back) and back.config == tiny.config and back.vocab == tiny.vocab
    md = back.metadata
    assert (md["problem"], md["n_train"], md["loops_train"], md["params"]) == ("word:Z5", 4, 4, {"prefix": True})
    assert md["serialcomp_version"] == __version__ and md["torch_version"] == str(torch.__version__)
    inst = tiny.task.sample(4, 64, seed=9)
    rule = HaltRule("fixed-point", 10)
    p, q = predict(tiny, inst, rule), predict(back, inst, rule)
    assert np.array_equal(p.labels, q.labels) and np.array_equal(p.loops_used, q.loops_used)
    assert back.info()["config"]["name"] == "tiny"


def test_checkpoints_are_written_whole(tiny, tmp_path, monkeypatch):
    path = tmp_path / "m.pt"
    path.write_bytes(b"old")

    def broken_save(obj, f, *a, **k):
        with open(f, "wb") as fh:
            fh.write(b"half a checkpoint")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(torch, "save", broken_save)
    with pytest.raises(OSError):
        tiny.save(path)
    assert path.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["m.pt"]


def test_load_refuses_what_is_not_a_checkpoint(tmp_path, tiny):
    bad = tmp_path / "x.pt"
    bad.write_text("not torch")
    with pytest.raises(SerialcompError, match="not a torch checkpoint"):
        load_model(bad)
    torch.save({"weights": torch.zeros(2)}, bad)
    with pytest.raises(SerialcompError, match="not a serialcomp looped-model checkpoint"):
        load_model(bad)
    good = tmp_path / "m.pt"
    tiny.save(good)
    good.write_bytes(good.read_bytes()[:200])  # truncated
    with pytest.raises(SerialcompError, match="not a torch checkpoint"):
        load_model(good)
    with pytest.raises(SerialcompError, match="no such file"):
        load_model(tmp_path / "missing.pt")


def test_loops_study_finds_l_star_in_its_own_table(tiny, tmp_path):
    s = loops_study(tiny, ns=[2, 3, 4, 6], max_loops=6, count=128, seed=1)
    model = s.table[s.table["kind"] == "model"]
    fixed = model[model["halt"] == "fixed"]
    assert sorted(set(fixed["loops"])) == list(range(1, 7))
    for row in s.lstar.itertuples():
        g = fixed[fixed["n"] == row.n].sort_values("loops")
        reach = g[g["accuracy"] >= 0.95]["loops"]
        assert (np.isnan(row.l_star) and reach.empty) or row.l_star == reach.iloc[0]
    assert set(model["halt"]) == {"fixed", "fixed-point", "confidence"}
    circuits = s.table[s.table["kind"] == "circuit"]
    fam_names = {f.name for f in tiny.task.problem.families()}
    assert set(circuits["family"]) <= fam_names and len(circuits) > 0
    for fam, g in circuits.groupby("family"):  # the depth column is the family's own serial depth
        f = tiny.task.problem.family(fam)
        assert g.sort_values("n")["serial_depth"].tolist() == [float(f.serial_depth(n)) for n in sorted(g["n"])]
    assert "L*(n)" in s.to_markdown()
    (tmp_path / "results.parquet").write_text("another study's file")
    paths = write_loops_study(s, tmp_path)
    assert (tmp_path / "results.parquet").read_text() == "another study's file"
    back = pd.read_parquet(paths["parquet"])
    assert len(back) == len(s.table) and paths["plot"].stat().st_size > 1000


def test_l_star_is_the_first_loop_reaching_the_threshold():
    t = pd.DataFrame({"n": [2, 2, 2, 5, 5], "halt": ["fixed"] * 4 + ["fixed-point"], "loops": [1, 2, 3, 1, 9],
                      "accuracy": [0.5, 0.95, 0.2, 0.99, 1.0]})
    got = l_star(t, 0.95)
    assert got["l_star"].tolist() == [2.0, 1.0] and got["best_loops"].tolist() == [2.0, 1.0]
    assert np.isnan(l_star(t, 0.999)["l_star"]).all()
    json.dumps(got.to_dict("records"))


@pytest.mark.parametrize("key, n, params", [
    ("word:S5", 6, {}), ("word:S3", 5, {"prefix": True}), ("word:A4xZ5", 5, {"prefix": True}), ("word:Z5", 5, {}),
    ("word:flipflop", 6, {"prefix": True}), ("parity", 8, {}), ("majority", 7, {}), ("reach:path", 10, {}),
    ("reach:flower", 9, {}), ("ca:rule110", 8, {"t": 3}), ("ca:rule110", 7, {}),
])
def test_every_listed_problem_trains_evaluates_and_predicts(key, n, params):
    """A few steps on each problem of the issue: evaluate's accuracy is the score of predict_records
    on the same records, readable and raw, and each prediction has the type of the record's target."""
    cfg = LoopConfig(problem=key, n_train=n, params=params, steps=3, loops_train=3, backprop_loops=3, width=16,
                     heads=2, batch=8, eval_count=16)
    lm = train(cfg)
    ev = evaluate(lm, [n], [3], count=40, seed=7)
    for readable in (True, False):
        recs = list(export_records(lm.task.sample(n, 40, 7), readable=readable))
        out = list(predict_records(lm, recs, HaltRule("fixed", 3)))
        assert all(type(o["prediction"]) is type(r["target"]) for o, r in zip(out, recs))
        assert np.mean([o["prediction"] == r["target"] for o, r in zip(out, recs)]) == pytest.approx(ev["accuracy"][0])
