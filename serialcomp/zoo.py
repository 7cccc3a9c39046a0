"""The circuit zoo: every registered circuit family at a few small n, as golden netlist files.

``write_zoo(dir)`` writes, for each (problem, family, n), the circuit in the threshold text format
(``.thr``, lossless: THR/MAJ/MOD gates kept) and as a binary AIGER file (``.aig``, through
:meth:`~serialcomp.ir.Circuit.to_aig`), plus ``manifest.csv`` with one row per circuit. A looped
family is written unrolled over the steps it runs at that n, so every file is a plain combinational
circuit whose depth is the family's serial depth. Each row is built from the family's measured
:class:`~serialcomp.measure.Cell` (kind, steps, serial depth, claim) and the unrolled circuit
(inputs, outputs, gates, gate set, AIG). The repository keeps the zoo in ``circuits/``; the test
suite regenerates it and compares bytes, and reads every AIGER file with ABC.

:func:`write_zoo` never leaves a partial set: the zoo is written into a temporary folder inside
the target and its entries (one folder per problem, then ``manifest.csv``) are swapped in by
renames with Ctrl-C and SIGTERM held off; files of the target that are not the zoo's
(``circuits/README.md``) stay.

Example
-------
>>> rows = zoo_rows(problems=["parity"], ns=(4,))
>>> [(r["family"], r["depth"], r["aig_ands"]) for r in rows]
[('xor_tree', 2, 9), ('threshold2', 2, 35), ('stream', 4, 9)]
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterable, Sequence

from ._atomic import atomic_entries
from .errors import SerialcompError
from .ir.circuit import Circuit
from .ir.looped import LoopedCircuit

__all__ = [
    "ZOO_NS", "ZOO_NS_BY_PROBLEM", "zoo_sizes", "ZOO_MAX_AIG_ANDS", "ZOO_MAX_FIRST_AIG_ANDS", "MANIFEST_COLUMNS",
    "manifest_text", "zoo_rows", "write_zoo", "zoo_circuit",
]

#: Sizes written for every family (those a family cannot build, or whose AIG is too big, are skipped).
ZOO_NS: tuple[int, ...] = (2, 4, 8)
#: Problems whose circuits are degenerate at the sizes above get their own: on a ring of width
#: 2^k rule 90 dies out (its light cone at n = 8 is an XOR of nothing), and the small rings of
#: rules 30 and 110 have a constant centre (the problem refuses those widths: rule 30 at 3, rule 110
#: at 3 and 5), so they start at 5 and 7; odd widths exercise every construction. timelock starts
#: at its smallest prime size, 3 bits. A size the problem refuses is skipped for every family.
ZOO_NS_BY_PROBLEM: dict[str, tuple[int, ...]] = {
    "ca:rule90": (3, 5, 7), "ca:rule30": (5, 7, 9), "ca:rule110": (7, 9, 11), "timelock": (3, 4),
}
#: Circuits with more gates, or whose AIG has more ANDs, than this are written only at the first
#: size a family builds (golden files stay small) ...
ZOO_MAX_AIG_ANDS = 8000
#: ... and that first size is written whenever its AIG has at most this many ANDs, so that every
#: family is in the zoo (the S5 word circuits and Sudoku propagation only at n = 2).
ZOO_MAX_FIRST_AIG_ANDS = 120_000
#: Columns of ``manifest.csv``.
MANIFEST_COLUMNS = [
    "problem", "family", "kind", "n", "steps", "inputs", "outputs", "gates", "depth", "max_fanin",
    "gate_set", "circuit_class", "claimed", "exact", "aig_ands", "aig_depth", "thr_file", "aig_file",
]


def _slug(key: str) -> str:
    return key.replace(":", "_").replace("<", "").replace(">", "")


def zoo_circuit(family: Any, n: int) -> tuple[Circuit, int | None]:
    """The plain circuit the zoo stores for ``family`` at ``n``, and the steps it was unrolled over.

    Notes
    -----
    A looped family is unrolled over ``family.n_steps(n)`` steps (``n`` for a stream-mode family
    without ``steps``); depth of the result equals the family's serial depth.
    """
    built = family(n)
    if isinstance(built, LoopedCircuit):
        steps = family.n_steps(n)
        if steps is None:
            raise SerialcompError(f"family {family.name!r}: a loop-mode family needs steps()")
        return built.unroll(steps), steps
    return built, None


def zoo_sizes(key: str) -> tuple[int, ...]:
    """The sizes the zoo writes for problem ``key``.

    Example
    -------
    >>> zoo_sizes("parity"), zoo_sizes("ca:rule90")
    ((2, 4, 8), (3, 5, 7))
    """
    return ZOO_NS_BY_PROBLEM.get(key, ZOO_NS)


def _zoo_problems(problems: Iterable[str] | None) -> list[str]:
    from .problems import get_problem, list_problems

    keys = list(problems) if problems is not None else list_problems() + ["word:Z5"]
    return [k for k in keys if get_problem(k).families()]


def zoo_rows(problems: Iterable[str] | None = None, ns: Sequence[int] | None = None,
             files: dict[str, bytes] | None = None) -> list[dict[str, Any]]:
    """Build the zoo: manifest rows (and, when ``files`` is a dict, the file contents by relative path).

    Parameters
    ----------
    problems : iterable of str, optional
        Problem keys (default: every registered problem with families, plus ``word:Z5``).
    ns : sequence of int, optional
        Sizes to write for every problem (default: :func:`zoo_sizes` of each).
    files : dict, optional
        Filled with ``relative path -> bytes`` for every ``.thr`` and ``.aig`` file.

    Raises
    ------
    SerialcompError
        When an unrolled circuit's depth is not the family's serial depth (a construction bug).
    """
    from .io import dumps_aiger, dumps_thr
    from .measure.cell import measure_cell
    from .problems import get_problem

    rows = []
    for key in _zoo_problems(problems):
        problem = get_problem(key)
        sizes = []
        for n in (zoo_sizes(key) if ns is None else ns):
            try:
                problem.resolve_params(n, {})
            except SerialcompError:
                continue  # no instances at this n (e.g. every target the same): its circuits say nothing
            sizes.append(n)
        for fam in problem.families():
            first = True
            for n in sizes:
                try:
                    circuit, _ = zoo_circuit(fam, n)
                except SerialcompError:
                    continue  # the family does not exist at this n (e.g. below its minimum size)
                cap = ZOO_MAX_FIRST_AIG_ANDS if first else ZOO_MAX_AIG_ANDS
                first = False
                if circuit.n_gates > cap:
                    break  # families grow with n, so larger n are too big as well
                aig = circuit.to_aig().prune()
                if aig.n_gates > cap:
                    break
                cell = measure_cell(fam, n, key)
                if circuit.depth() != cell.serial_depth:
                    raise SerialcompError(
                        f"zoo: {key} / {fam.name} at n = {n}: the unrolled circuit has depth {circuit.depth()}, "
                        f"the family's serial depth is {cell.serial_depth}"
                    )
                stem = f"{_slug(key)}/{fam.name}_n{n}"
                gs = circuit.gate_set()
                rows.append({
                    "problem": cell.problem, "family": cell.family, "kind": cell.kind, "n": cell.n,
                    "steps": "" if cell.steps is None else cell.steps,
                    "inputs": circuit.n_inputs, "outputs": circuit.n_outputs, "gates": circuit.n_gates,
                    "depth": cell.serial_depth, "max_fanin": circuit.max_fanin,
                    "gate_set": " ".join(gs["kinds"]), "circuit_class": gs["circuit_class"],
                    "claimed": cell.claimed, "exact": int(cell.exact), "aig_ands": aig.n_gates, "aig_depth": aig.depth(),
                    "thr_file": stem + ".thr", "aig_file": stem + ".aig",
                })
                if files is not None:
                    files[stem + ".thr"] = dumps_thr(circuit).encode()
                    files[stem + ".aig"] = dumps_aiger(aig, binary=True)
    return rows


def manifest_text(rows: list[dict[str, Any]]) -> str:
    """The manifest as CSV text (header :data:`MANIFEST_COLUMNS`, ``\\n`` line ends)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, MANIFEST_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _owned_names(out: Path) -> set[str]:
    """The top-level entries of an existing zoo in ``out``: the manifest and the folders its rows
    name (only plain folder names inside ``out``; anything else in a manifest is ignored)."""
    manifest = out / "manifest.csv"
    names: set[str] = set()
    if not manifest.is_file():
        return names
    names.add("manifest.csv")
    try:
        with open(manifest, newline="") as f:
            for row in csv.DictReader(f):
                for col in ("thr_file", "aig_file"):
                    top = str(row.get(col) or "").split("/")[0]
                    if top and top not in (".", "..") and "\\" not in top and (out / top).is_dir():
                        names.add(top)
    except (OSError, UnicodeDecodeError, csv.Error):
        pass  # an unreadable old manifest: only the entries the new zoo writes are replaced
    return names


def write_zoo(out_dir: str | Path, problems: Iterable[str] | None = None, ns: Sequence[int] | None = None, *,
              what: str = "out_dir") -> list[dict[str, Any]]:
    """Write the zoo into ``out_dir`` (``<problem>/<family>_n<n>.thr|.aig`` and ``manifest.csv``).

    Returns the manifest rows. Files are written byte-deterministically, and never as a partial
    set: everything is built in a temporary folder inside ``out_dir`` first, then each problem
    folder and the manifest replace the old ones by renames (a failure part-way undoes them). The
    folders of an older zoo that the new manifest no longer names are removed; other files in
    ``out_dir`` (a README) are kept.

    Raises
    ------
    SerialcompError
        When ``out_dir`` (named ``what`` in the message) is a file or cannot be created; an old zoo
        there is then as it was.

    Example
    -------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "README.md").write_text("kept")
    >>> rows = write_zoo(d, problems=["parity"], ns=(4,))
    >>> sorted(p.name for p in d.iterdir()), sorted(p.name for p in (d / "parity").iterdir())[:2]
    (['README.md', 'manifest.csv', 'parity'], ['stream_n4.aig', 'stream_n4.thr'])
    """
    out = Path(out_dir)
    stale = _owned_names(out) if out.is_dir() else set()
    with atomic_entries(out, what=what, stale=stale, last="manifest.csv") as built:
        files: dict[str, bytes] = {}
        rows = zoo_rows(problems, ns, files)
        for rel, data in files.items():
            path = built / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (built / "manifest.csv").write_text(manifest_text(rows))
    return rows
