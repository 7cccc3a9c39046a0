"""The ``serialcomp zoo`` subcommand: write every circuit family at small n."""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp zoo``; returns the exit status."""
    from ..zoo import write_zoo

    rows = write_zoo(args.out, problems=args.problems, what="--out")
    fams = {(r["problem"], r["family"]) for r in rows}
    print(f"wrote {len(rows)} circuits of {len(fams)} families to {args.out} (manifest.csv, .thr, .aig)")
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``zoo`` subcommand."""
    q = subparsers.add_parser(
        "zoo",
        help="write every circuit family at small n as .thr and .aig files with a manifest",
        description="Write the circuit zoo: for each problem's circuit families at n = 2, 4, 8 (cellular automata at the odd "
        "widths 3, 5, 7; timelock at 3, 4), the circuit in the "
        "threshold text format (.thr, lossless) and as a binary AIGER file (.aig, through to_aig), plus manifest.csv "
        "(family, n, inputs, outputs, gates, depth, gate set, AIG size and depth). Looped families are unrolled. The set "
        "is built in a temporary folder and swapped in whole: an error or Ctrl-C leaves the previous zoo as it was; "
        "other files in the folder (a README) are kept.",
    )
    q.add_argument("--out", default="circuits", metavar="DIR", help="output folder (default: ./circuits)")
    q.add_argument("--problems", nargs="+", metavar="KEY", help="only these problem keys (default: all with families)")
    q.set_defaults(func=run)
