"""Test-time compute (issue 14): Monte Carlo chain rates, exact-DP times, and the paper's generator beside ours.

Usage: python benchmarks/bench_chains.py [--quick] [--out FILE.md] [--paper DIR]

Units. Monte Carlo: chains per second of ``simulate_chains`` on one core (one Numba loop; the
kernels are compiled before timing), best of ``--repeat`` calls. DP: seconds per exact law, best of
``--repeat``. Generators: records per second of an ``lmt`` decision instance with its DFS trace:
the paper's ``Mission(args)`` + ``mission.search("dfs")`` (``gen.py``'s loop: the graph built twice,
networkx, Python's ``random``) against ``reach:flower --param layout=lmt --param text=dfs``
(sampling and the text column: shuffled edges, the DFS trace, the paper's text). The paper's code
is read from ``--paper`` (a checkout of seyedparsa/let-me-think; default: the mirror under
/work/.mirror, or its git objects), with stand-ins for ``transformers`` (only imported there for
its tokenizer classes); without it those rows are left out. The single-chain DFS row times the
paper's ``utils.dfs`` against our pure-Python reference and the kernel on the same graph.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import numpy as np  # noqa: E402

from serialcomp.chains import (bfs_distribution, dfs_distribution, lmt_flower, simulate_chains,  # noqa: E402
                               sweep, walk_distribution)
from serialcomp.chains.search import dfs_trace  # noqa: E402
from serialcomp.problems import get_problem  # noqa: E402

MIRROR = Path("/work/.mirror/seyedparsa+let-me-think/repo")


def best(fn, repeat):
    out = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t0)
    return out


def paper_modules(where: Path | None):
    """Import the paper's ``utils`` and ``mission`` (read from a checkout or the mirror's git objects)."""
    src = tempfile.mkdtemp(prefix="lmt-")
    if where is not None and (where / "utils.py").exists():
        for name in ("utils.py", "mission.py"):
            Path(src, name).write_text((where / name).read_text())
    elif MIRROR.exists():
        for name in ("utils.py", "mission.py"):
            text = subprocess.run(["git", f"--git-dir={MIRROR}", "show", f"HEAD:{name}"], capture_output=True,
                                  text=True, check=True).stdout
            Path(src, name).write_text(text)
    else:
        return None
    fake = types.ModuleType("transformers")
    for cls in ("PreTrainedTokenizer", "DataCollatorForLanguageModeling", "MistralForCausalLM"):
        setattr(fake, cls, type(cls, (), {}))
    sys.modules.setdefault("transformers", fake)
    sys.modules.setdefault("torch", types.ModuleType("torch"))
    sys.path.insert(0, src)
    import mission  # noqa: F401
    import utils  # noqa: F401

    return sys.modules["utils"], sys.modules["mission"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small counts (a smoke run)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, help="also write the tables to this Markdown file")
    ap.add_argument("--paper", type=Path, default=None, help="a checkout of seyedparsa/let-me-think")
    args = ap.parse_args(argv)
    q = args.quick
    lines = [f"`python benchmarks/bench_chains.py{' --quick' if q else ''}`, {time.strftime('%Y-%m-%d')}, "
             f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), one thread; best of "
             f"{args.repeat}. Goals of issue 14: >= 10^6 DFS chains/s at d = 5 on one core; the exact DP up to "
             "d = 20 in under 1 s.", ""]

    lines += ["| Monte Carlo (`simulate_chains`, one core) | d | chains | time | chains/s |", "|---|---:|---:|---:|---:|"]
    C = 200_000 if q else 2_000_000
    for strategy, d, budget in [("dfs", 5, None), ("dfs", 20, None), ("bfs", 5, None), ("walk", 5, 100)]:
        g = lmt_flower(d).graph()
        simulate_chains(g, strategy, 10, budget)  # compile / load the kernel
        n = C if strategy != "walk" else C // 2
        t = best(lambda: simulate_chains(g, strategy, n, budget, seed=1), args.repeat)
        lines.append(f"| {strategy}{'' if budget is None else f', budget {budget}'} | {d} | {n} | {t:.3f} s | "
                     f"{n / t / 1e6:.2f} M |")
    lines.append("")

    lines += ["| exact law | d | time |", "|---|---:|---:|"]
    for label, fn in [("DFS (DP over petals)", lambda d: dfs_distribution(lmt_flower(d))),
                      ("BFS (DP over layers)", lambda d: bfs_distribution(lmt_flower(d).graph())),
                      ("walk, 1000 moves", lambda d: walk_distribution(lmt_flower(d).graph(), 1000))]:
        for d in (5, 20):
            fn(d)
            lines.append(f"| {label} | {d} | {best(lambda: fn(d), args.repeat) * 1e3:.2f} ms |")
    t = best(lambda: sweep(), 1)
    lines.append(f"| `serialcomp chains --sweep` table (d = 1..8, 4 strategies, 6 budgets, 13 k: 2496 rows) | 1..8 | "
                 f"{t:.2f} s |")
    lines.append("")

    mods = paper_modules(args.paper)
    R = 300 if q else 3000
    ours = lambda: get_problem("reach:flower").sample(51, R, seed=0, layout="lmt", text="dfs").columns()["text"]  # noqa: E731
    ours()
    t_ours = best(ours, args.repeat)
    lines += ["| d = 5 decision records with a DFS trace | records | time | records/s | ratio |", "|---|---:|---:|---:|---:|"]
    if mods is None:
        lines.append(f"| serialcomp `reach:flower layout=lmt text=dfs` | {R} | {t_ours:.3f} s | {R / t_ours:.0f} | |")
        lines.append("| the paper's `Mission` + `search('dfs')` | not run: its code is not here | | | |")
    else:
        utils, mission = mods
        import random

        pargs = types.SimpleNamespace(graph_type="flower", task_type="decision", num_nodes=None, max_num_nodes=None,
                                      depth=5, short=3, long=5, dead=3, st_pair="far")

        def paper():
            random.seed(0)
            out = []
            for _ in range(R):
                m = mission.Mission(pargs)
                out.append((str(m.graph.edges), str(m.phrag.edges), str(m.search("dfs"))))
            return out

        t_paper = best(paper, args.repeat)
        lines.append(f"| the paper's `Mission(args)` + `search('dfs')` (gen.py's loop) | {R} | {t_paper:.3f} s | "
                     f"{R / t_paper:.0f} | 1.0x |")
        lines.append(f"| serialcomp `reach:flower layout=lmt text=dfs` (sample + text) | {R} | {t_ours:.3f} s | "
                     f"{R / t_ours:.0f} | {t_paper / t_ours:.1f}x |")
        g = lmt_flower(5).graph()
        G = utils.nx.Graph(g.to_networkx())
        n1 = 2000 if q else 20000
        random.seed(0)
        t_pd = best(lambda: [utils.dfs(G, g.source, g.target) for _ in range(n1)], args.repeat)
        t_ref = best(lambda: [dfs_trace(g, state=s) for s in range(n1)], args.repeat)
        t_k = best(lambda: simulate_chains(g, "dfs", n1, seed=0), args.repeat)
        lines += ["", "| one DFS chain at d = 5 | chains | time | chains/s | vs the paper's |", "|---|---:|---:|---:|---:|",
                  f"| the paper's `utils.dfs` (networkx, `random.choice`) | {n1} | {t_pd:.3f} s | {n1 / t_pd:.0f} | 1.0x |",
                  f"| serialcomp `dfs_trace` (pure-Python reference) | {n1} | {t_ref:.3f} s | {n1 / t_ref:.0f} | "
                  f"{t_pd / t_ref:.1f}x |",
                  f"| serialcomp `simulate_chains` (Numba kernel) | {n1} | {t_k:.4f} s | {n1 / t_k:.0f} | "
                  f"{t_pd / t_k:.0f}x |"]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
