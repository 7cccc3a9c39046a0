"""The ``serialcomp claims`` subcommand: list the claims catalogue (``proofs/``), or check it."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from typing import Any

__all__ = ["claim_row", "register", "run"]

_WIDTH = 100


def claim_row(claim: Any, result: Any = None) -> dict[str, Any]:
    """The JSON row of a claim (with its check's outcome when ``result`` is given): id, statement, subject, n,
    model, kind, methods, formula, checked, status, and the claim's and check's extra fields (a SAT row's
    ``min_depth`` and ``basis``)."""
    return claim.as_dict(result)


def _line(claim: Any) -> list[str]:
    return [claim.id, claim.kind, claim.model.name, claim.subject]


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp claims``; returns the exit status (1 when a check fails)."""
    from ..claims import load_catalogue

    catalogue = load_catalogue(args.proofs)
    claims = catalogue.select(args.id)
    if not args.check:
        if args.json:
            print(json.dumps([claim_row(c) for c in claims], indent=1))
            return 0
        head = ["id", "kind", "model", "subject"]
        table = [_line(c) for c in claims]
        widths = [max(len(str(x)) for x in col) for col in zip(head, *table)]
        for line in [head, ["-" * w for w in widths], *table]:
            print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())
        print(f"\n{len(claims)} claims in {len({c.group for c in claims})} groups; `serialcomp claims --check` checks "
              "them, `--id ID --json` shows one in full.")
        return 0
    t0 = time.perf_counter()
    results = []
    quiet = args.json
    for c in claims:
        r = c.run()
        results.append(r)
        if not quiet:
            mark = {"verified": "verified", "failed": "FAILED", "skipped": "skipped"}[r.status]
            print(f"{mark:8s}  {c.id}  ({r.seconds:.1f} s)")
            print(textwrap.fill(f"checked: {r.checked or '-'}", _WIDTH, initial_indent="          ",
                                subsequent_indent="            "))
            if r.status != "verified" and r.detail:
                print(textwrap.fill(r.detail, _WIDTH, initial_indent="          ", subsequent_indent="            "))
            sys.stdout.flush()
    failed = [r for r in results if r.status == "failed"]
    if quiet:
        print(json.dumps([claim_row(r.claim, r) for r in results], indent=1))
    else:
        counts = {s: sum(r.status == s for r in results) for s in ("verified", "failed", "skipped")}
        print(f"\n{counts['verified']} verified, {counts['failed']} failed, {counts['skipped']} skipped of "
              f"{len(results)} claims in {time.perf_counter() - t0:.1f} s")
    return 1 if failed else 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``claims`` subcommand."""
    q = subparsers.add_parser(
        "claims",
        help="the catalogue of depth claims (proofs/): list them, or check them",
        description="List the claims of the catalogue (the repository's proofs/ folder): each a statement in a named "
        "depth model (gate set, fan-in bound, inverters), of kind upper, lower, exact, separation or conjecture, "
        "with a sympy derivation and an empirical check (exhaustive, SAT, hypothesis, simulation). --check runs "
        "them (about a minute on 2 cores) and prints verified or failed, with the range each checked; a failed "
        "check exits with status 1.",
    )
    q.add_argument("--check", action="store_true", help="run the derivations and checks")
    q.add_argument("--json", action="store_true",
                   help="JSON rows: id, statement, subject, n, model, kind, methods, formula, checked, status (and "
                   "min_depth, basis for the SAT rows)")
    q.add_argument("--id", nargs="+", metavar="ID", help="only these claims (default: all)")
    q.add_argument("--proofs", metavar="DIR", help="the catalogue folder (default: $SERIALCOMP_PROOFS, else the "
                   "repository's proofs/)")
    q.set_defaults(func=run)
