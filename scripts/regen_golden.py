"""Regenerate the golden values of the dataset tests, on purpose, and print what changed.

    python scripts/regen_golden.py           # recompute, print the diff, rewrite the constants
    python scripts/regen_golden.py --check   # recompute and print the diff only (exit 1 if any differ)

Two test files hold golden constants, and only check them:

* tests/problems/test_prob_golden.py: the digest of ``sample(n, 4, seed=123)`` for every key
  (:func:`serialcomp.testing.problems.instance_digest`), which pins what the generators draw;
* tests/problems/test_prob_export_golden.py: the sha256 of small ``serialcomp generate`` outputs
  (JSONL, Parquet, Parquet --raw) for every key, which also pins the record format. Parquet bytes
  depend on the pyarrow version, so these are rewritten only when the installed numpy and pyarrow
  are the RECORDED_WITH versions (the ones constraints.txt pins).

The values are computed by the test files' own functions (imported from their paths), so what is
written is exactly what the tests compare with. Only the text between ``# GOLDEN-BEGIN`` and
``# GOLDEN-END`` is replaced. Run it after an intended change of a generator or of the record
format, and say so in the commit: a changed golden value means datasets generated before and after
the change differ.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "tests" / "problems" / "test_prob_golden.py"
EXPORT = ROOT / "tests" / "problems" / "test_prob_export_golden.py"


def load(path: Path) -> ModuleType:
    """Import a test file by its path (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def instance_values(mod: ModuleType) -> dict[str, str]:
    from serialcomp.testing.problems import instance_digest

    return {key: instance_digest(mod.sample(key)) for key in mod.KEYS}


def export_values(mod: ModuleType) -> dict[str, dict[str, str]]:
    return {key: {fmt: mod.digest(data) for fmt, data in mod.outputs(key).items()} for key in mod.keys()}


def format_instances(values: dict[str, str]) -> str:
    return "\n".join(["GOLDEN = {", *(f'    "{k}": "{v}",' for k, v in values.items()), "}"])


def format_export(values: dict[str, dict[str, str]]) -> str:
    lines = ["GOLDEN = {"]
    for key, per_format in values.items():
        lines.append(f"    {key!r}: {{")
        lines += [f"        {fmt!r}: {v!r}," for fmt, v in per_format.items()]
        lines.append("    },")
    return "\n".join(lines + ["}"])


def diff(old: dict, new: dict, name: str) -> list[str]:
    """One line per added, removed or changed value."""
    out = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            out.append(f"{name}: {key} removed")
        elif key not in old:
            out.append(f"{name}: {key} added")
        elif isinstance(new[key], dict):
            out += [f"{name}: {key} {fmt}: {old[key].get(fmt)} -> {v}"
                    for fmt, v in new[key].items() if old[key].get(fmt) != v]
        elif old[key] != new[key]:
            out.append(f"{name}: {key}: {old[key]} -> {new[key]}")
    return out


def rewrite(path: Path, block: str) -> None:
    """Replace the lines between the ``# GOLDEN-BEGIN`` line and ``# GOLDEN-END`` with ``block``."""
    text = path.read_text()
    head, rest = text.split("# GOLDEN-BEGIN", 1)
    first, rest = rest.split("\n", 1)
    _, tail = rest.split("# GOLDEN-END", 1)
    path.write_text(f"{head}# GOLDEN-BEGIN{first}\n{block}\n# GOLDEN-END{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="print the diff only; exit 1 if any value differs")
    args = parser.parse_args(argv)

    jobs: list[tuple[Path, ModuleType, Callable, Callable]] = [
        (INSTANCES, load(INSTANCES), instance_values, format_instances),
        (EXPORT, load(EXPORT), export_values, format_export),
    ]
    export = jobs[1][1]
    if export.installed() != export.RECORDED_WITH:
        print(f"installed {export.installed()} != RECORDED_WITH {export.RECORDED_WITH}: the Parquet hashes are "
              "recorded with the versions constraints.txt pins; install those (pip install -c constraints.txt) "
              "or update RECORDED_WITH and constraints.txt as well", file=sys.stderr)
        return 2
    changed = False
    for path, mod, compute, fmt in jobs:
        new = compute(mod)
        lines = diff(mod.GOLDEN, new, path.name)
        print("\n".join(lines) if lines else f"{path.name}: unchanged ({len(new)} keys)")
        if lines:
            changed = True
            if not args.check:
                rewrite(path, fmt(new))
                print(f"rewrote GOLDEN in {path.relative_to(ROOT)}")
    return 1 if (changed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
