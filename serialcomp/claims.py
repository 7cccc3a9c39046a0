"""Claims about depth: a statement in a stated depth model, its kind, its sympy derivation and its checks.

A bound on depth means nothing without the model it is stated in: with unbounded fan-in the word
problem over S5 has circuits of depth ``O(log n / log log n)``, with fan-in 2 it needs
``Omega(log n)``. So every :class:`Claim` names its :class:`DepthModel` (gate set, fan-in bound,
whether inverters count), its kind (``upper``, ``lower``, ``exact``, ``separation`` or
``conjecture``), the sympy steps that derive its formula (:class:`Step`) and an executable check
(exhaustive enumeration, a SAT certificate, hypothesis, simulation of the circuits it is about).

This module is the machinery; the catalogue itself lives in the top-level ``proofs/`` folder of the
repository, one module per group of claims, each defining ``CLAIMS`` (a sequence of claims).
:func:`load_catalogue` reads them; ``serialcomp claims`` lists and checks them.

Example
-------
>>> import sympy
>>> from serialcomp.ir.family import N
>>> c = Claim("demo.log", "a balanced tree of fan-in-2 gates has depth ceil(log2 n)",
...           sympy.ceiling(sympy.log(N, 2)), "xor tree", FANIN2, "exact",
...           derivation=(Step("ceil(log2 8) = 3", sympy.ceiling(sympy.log(8, 2)), 3),),
...           check=lambda: CheckResult(True, "n = 8"))
>>> r = c.run(); r.status, r.checked, r.methods
('verified', '1 derivation step; n = 8', ('sympy',))
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import sympy

from .errors import SerialcompError
from .ir.family import N

__all__ = [
    "KINDS", "METHODS", "STATUSES", "ClaimError", "DepthModel", "THRESHOLD", "AND_OR", "AND_OR_MOD", "FANIN2",
    "FANIN2_XOR",
    "model_of", "Step", "CheckResult", "ClaimResult", "Claim", "Catalogue", "proofs_dir", "load_catalogue",
]

#: The kinds of claim: a bound from above or below, an exact value, a separation of two models or
#: classes, and a conjecture (never presented as proven).
KINDS = ("upper", "lower", "exact", "separation", "conjecture")
#: How a claim is checked.
METHODS = ("sympy", "exhaustive", "sat", "hypothesis", "simulation")
#: The outcome of a check: it passed, it did not, or it could not run (an optional tool is missing).
STATUSES = ("verified", "failed", "skipped")

_GATES = ("AND", "OR", "XOR", "MAJ", "THR", "MOD")


class ClaimError(SerialcompError):
    """A claim or the catalogue is malformed (unknown kind, repeated id, missing ``proofs/``)."""


@dataclass(frozen=True)
class DepthModel:
    """The model a depth bound is stated in.

    Attributes
    ----------
    gates : tuple of str
        Gate kinds allowed (names of :class:`~serialcomp.ir.gates.GateKind`: AND, OR, XOR, MAJ,
        THR, MOD); negations are free edges (literals) unless ``count_inverters``.
    fanin : int or None
        Fan-in bound ``k``: a gate of fan-in ``f`` costs ``ceil(log_k f)`` levels (None: unbounded,
        every gate one level).
    count_inverters : bool
        Whether explicit NOT/BUF nodes cost a level.
    name : str
        Short name (``"AC0"``, ``"fan-in 2"``).

    Example
    -------
    >>> FANIN2.label
    'AND/OR, fan-in 2, NOT free'
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); b.output(b.and_(*b.inputs(8))); c = b.build()
    >>> AND_OR.depth(c), FANIN2.depth(c), THRESHOLD.admits(c)
    (1, 3, True)
    """

    gates: tuple[str, ...]
    fanin: int | None = None
    count_inverters: bool = False
    name: str = ""

    def __post_init__(self) -> None:
        bad = [g for g in self.gates if g not in _GATES]
        if bad or not self.gates:
            raise ClaimError(f"depth model {self.name!r}: gates must be a non-empty subset of {_GATES}, got {self.gates}")
        if self.fanin is not None and (type(self.fanin) is not int or self.fanin < 2):
            raise ClaimError(f"depth model {self.name!r}: fanin must be None (unbounded) or an int >= 2, got {self.fanin!r}")

    @property
    def label(self) -> str:
        """``gates, fan-in, inverters`` in words."""
        fan = "unbounded fan-in" if self.fanin is None else f"fan-in {self.fanin}"
        inv = "NOT counted" if self.count_inverters else "NOT free"
        return f"{'/'.join(self.gates)}, {fan}, {inv}"

    def admits(self, circuit: Any) -> bool:
        """Whether every gate of ``circuit`` (a Circuit) is of an allowed kind."""
        return set(circuit.gate_set()["kinds"]) <= set(self.gates)

    def depth(self, circuit: Any) -> int:
        """The depth of ``circuit`` in this model.

        Raises
        ------
        ClaimError
            If the circuit uses a gate kind the model does not allow.
        """
        if not self.admits(circuit):
            extra = sorted(set(circuit.gate_set()["kinds"]) - set(self.gates))
            raise ClaimError(f"depth model {self.label}: the circuit uses {', '.join(extra)} gates")
        return int(circuit.depth(fanin=self.fanin, count_inverters=self.count_inverters))

    def as_dict(self) -> dict[str, Any]:
        """JSON view: name, gates, fanin (None: unbounded), count_inverters, label."""
        return {"name": self.name, "gates": list(self.gates), "fanin": self.fanin,
                "count_inverters": self.count_inverters, "label": self.label}


#: serialcomp's default depth: every gate kind, unbounded fan-in, negations free (TC0 circuits).
THRESHOLD = DepthModel(_GATES, None, False, "TC0")
#: AND/OR with unbounded fan-in, negations free: AC0 circuits at constant depth.
AND_OR = DepthModel(("AND", "OR"), None, False, "AC0")
#: AND/OR with MOD_m (and XOR = MOD_2) gates, unbounded fan-in: ACC0 circuits at constant depth.
AND_OR_MOD = DepthModel(("AND", "OR", "XOR", "MOD"), None, False, "ACC0")
#: AND/OR with fan-in 2, negations free (the De Morgan formula / NC1 model, an AIG's depth).
FANIN2 = DepthModel(("AND", "OR"), 2, False, "fan-in 2")
#: AND/OR/XOR with fan-in 2, negations free (adder circuits; an XOR costs 2 levels in :data:`FANIN2`).
FANIN2_XOR = DepthModel(("AND", "OR", "XOR"), 2, False, "fan-in 2 with XOR")


def model_of(circuit: Any) -> DepthModel:
    """The smallest of :data:`AND_OR`, :data:`AND_OR_MOD`, :data:`THRESHOLD` admitting ``circuit``.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); b.output(b.xor(*b.inputs(3)))
    >>> model_of(b.build()).name
    'ACC0'
    """
    for m in (AND_OR, AND_OR_MOD, THRESHOLD):
        if m.admits(circuit):
            return m
    return THRESHOLD  # pragma: no cover - THRESHOLD admits every gate kind


_RELATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: sympy.Eq(a, b), "<=": lambda a, b: sympy.Le(a, b), ">=": lambda a, b: sympy.Ge(a, b),
    "<": lambda a, b: sympy.Lt(a, b), ">": lambda a, b: sympy.Gt(a, b),
}


@dataclass(frozen=True)
class Step:
    """One step of a derivation: ``lhs <relation> rhs``, checked by sympy.

    Without ``over`` the relation must hold symbolically (``==``: ``simplify(lhs - rhs) == 0``;
    an inequality: sympy must prove ``rhs - lhs`` (or ``lhs - rhs``) nonnegative or positive).
    With ``over = (lo, hi)`` it is checked exactly at every integer ``symbol = lo .. hi`` (an
    induction step checked pointwise, or a closed form against a recurrence).

    Example
    -------
    >>> k = sympy.Symbol("k", integer=True, positive=True)
    >>> Step("2^k doublings", sympy.log(2**k, 2), k).verify()
    (True, 'holds symbolically')
    >>> Step("ceil(log2 n) <= n", sympy.ceiling(sympy.log(N, 2)), N, "<=", over=(1, 64)).verify()
    (True, 'holds at n = 1..64')
    """

    text: str
    lhs: Any
    rhs: Any
    relation: str = "=="
    over: tuple[int, int] | None = None
    symbol: Any = N

    def __post_init__(self) -> None:
        if self.relation not in _RELATIONS:
            raise ClaimError(f"step {self.text!r}: relation must be one of {tuple(_RELATIONS)}, got {self.relation!r}")
        if self.over is not None and not (len(self.over) == 2 and int(self.over[0]) <= int(self.over[1])):
            raise ClaimError(f"step {self.text!r}: over must be (lo, hi) with lo <= hi, got {self.over!r}")

    def verify(self) -> tuple[bool, str]:
        """``(holds, how)``; ``how`` names the first failing value when it does not hold."""
        lhs, rhs = sympy.sympify(self.lhs), sympy.sympify(self.rhs)
        rel = _RELATIONS[self.relation]
        if self.over is None:
            if self.relation in ("==", "<=", ">=") and lhs == rhs:  # also for oo == oo, whose difference is nan
                return True, "holds symbolically"
            diff = sympy.simplify(lhs - rhs)
            if self.relation == "==":
                ok = diff == 0 or diff.equals(0) is True
            elif self.relation in ("<=", "<"):
                ok = bool((-diff).is_nonnegative if self.relation == "<=" else (-diff).is_positive)
            else:
                ok = bool(diff.is_nonnegative if self.relation == ">=" else diff.is_positive)
            return (True, "holds symbolically") if ok else (False, f"sympy could not show {lhs} {self.relation} {rhs}")
        lo, hi = int(self.over[0]), int(self.over[1])
        for v in range(lo, hi + 1):
            truth = rel(lhs.subs(self.symbol, v), rhs.subs(self.symbol, v))
            if truth is not sympy.true:
                return False, f"fails at {self.symbol} = {v}: {lhs.subs(self.symbol, v)} {self.relation} {rhs.subs(self.symbol, v)}"
        return True, f"holds at {self.symbol} = {lo}..{hi}"


@dataclass(frozen=True)
class CheckResult:
    """What an empirical check found.

    Attributes
    ----------
    ok : bool
    checked : str
        The range it covered, in words (``"n = 2..64, 128 instances each"``).
    detail : str
        The first failure, or a summary.
    data : mapping
        Extra fields for the JSON view (a SAT row's ``min_depth`` and ``basis``).
    skipped : bool
        The check could not run (an optional tool is missing); ``ok`` is then False.
    """

    ok: bool
    checked: str
    detail: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    skipped: bool = False


@dataclass(frozen=True)
class ClaimResult:
    """The outcome of :meth:`Claim.run`: status (one of :data:`STATUSES`), what was checked, how long."""

    claim: "Claim"
    status: str
    checked: str
    detail: str
    methods: tuple[str, ...]
    seconds: float
    data: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The claim's JSON row with the check's outcome (see :meth:`Claim.as_dict`)."""
        return self.claim.as_dict(self)


@dataclass(frozen=True)
class Claim:
    """A claim of the catalogue.

    Parameters
    ----------
    id : str
        Unique dotted id (``"words.tree"``).
    statement : str
        The claim in words, naming its model.
    formula : sympy expression or relation
        The statement as a formula (a depth in :data:`~serialcomp.ir.family.N`, or a relation).
    subject : str
        What it is about: a problem, a family (``"word:S5 tree"``) or a function.
    model : DepthModel
    kind : str
        One of :data:`KINDS`.
    check : callable, optional
        ``check() -> CheckResult``: the empirical check (None: the derivation is the whole check).
    methods : sequence of str
        How ``check`` checks (from :data:`METHODS`); ``"sympy"`` is added when there is a derivation.
    derivation : sequence of Step, or a callable returning them
        The sympy steps (a callable is called when the claim is run, so loading stays cheap).
    proof : str
        The argument in words, or the result cited.
    references : sequence of str
    n : int, optional
        The size, for a claim about one size (a SAT table row).
    covers : sequence of (problem key, family name)
        The families whose claimed depth this claim is (:meth:`Catalogue.for_family`).
    extra : mapping
        Fixed extra JSON fields (a SAT row's ``basis``).

    Notes
    -----
    A ``conjecture`` is never reported as proven (:attr:`proven`); for one, the check tests
    consequences or evidence, never the conjecture itself.
    """

    id: str
    statement: str
    formula: Any
    subject: str
    model: DepthModel
    kind: str
    check: Callable[[], CheckResult] | None = None
    methods: Sequence[str] = ()
    derivation: Sequence[Step] | Callable[[], Sequence[Step]] = ()
    proof: str = ""
    references: Sequence[str] = ()
    n: int | None = None
    covers: Sequence[tuple[str, str]] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    group: str = ""

    def __post_init__(self) -> None:
        if not self.id or any(ch.isspace() for ch in self.id):
            raise ClaimError(f"claim id must be a non-empty word, got {self.id!r}")
        if self.kind not in KINDS:
            raise ClaimError(f"claim {self.id!r}: kind must be one of {KINDS}, got {self.kind!r}")
        bad = [m for m in self.methods if m not in METHODS]
        if bad:
            raise ClaimError(f"claim {self.id!r}: methods must be drawn from {METHODS}, got {bad[0]!r}")
        if not isinstance(self.model, DepthModel):
            raise ClaimError(f"claim {self.id!r}: model must be a DepthModel, got {type(self.model).__name__}")
        if self.check is None and not self.derivation:
            raise ClaimError(f"claim {self.id!r}: needs a check, a derivation, or both")
        object.__setattr__(self, "formula", sympy.sympify(self.formula))
        object.__setattr__(self, "methods", tuple(self.methods))
        object.__setattr__(self, "references", tuple(self.references))
        object.__setattr__(self, "covers", tuple((str(p), str(f)) for p, f in self.covers))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    @property
    def proven(self) -> bool:
        """Whether the claim is a theorem (every kind but ``conjecture``)."""
        return self.kind != "conjecture"

    @property
    def all_methods(self) -> tuple[str, ...]:
        """:attr:`methods`, with ``"sympy"`` first when the claim has a derivation."""
        extra = ("sympy",) if self.derivation and "sympy" not in self.methods else ()
        return extra + tuple(self.methods)

    def steps(self) -> list[Step]:
        """The derivation's steps (calling it when it is a callable)."""
        d = self.derivation
        return list(d() if callable(d) else d)

    def run(self) -> ClaimResult:
        """Verify the derivation, then run the check.

        Never raises for a failing claim: an exception inside a check is a ``failed`` result whose
        detail names it.
        """
        t0 = time.perf_counter()
        parts, detail, data, status = [], "", {}, "verified"
        try:
            steps = self.steps()
            for k, step in enumerate(steps):
                ok, how = step.verify()
                if not ok:
                    status, detail = "failed", f"derivation step {k + 1} ({step.text}): {how}"
                    break
            if steps:
                parts.append(f"{len(steps)} derivation step{'s' if len(steps) != 1 else ''}")
            if status == "verified" and self.check is not None:
                res = self.check()
                data = dict(res.data)
                parts.append(res.checked)
                detail = res.detail
                if res.skipped:
                    status = "skipped"
                elif not res.ok:
                    status = "failed"
        except Exception as exc:  # a check that crashes is a failed check, reported, not raised
            where = traceback.extract_tb(exc.__traceback__)[-1]
            status, detail = "failed", f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        return ClaimResult(self, status, "; ".join(p for p in parts if p), detail, self.all_methods,
                           round(time.perf_counter() - t0, 3), data)

    def as_dict(self, result: ClaimResult | None = None) -> dict[str, Any]:
        """The JSON row: id, statement, subject, n, model, kind, methods, formula, checked, status
        (``"unchecked"`` without a result), and group, proven, references, covers, detail, seconds,
        plus the claim's and the check's extra fields (a SAT row's ``min_depth`` and ``basis``)."""
        row: dict[str, Any] = {
            "id": self.id, "statement": self.statement, "subject": self.subject, "n": self.n,
            "model": self.model.as_dict(), "kind": self.kind, "methods": list(self.all_methods),
            "formula": str(self.formula), "checked": result.checked if result else None,
            "status": result.status if result else "unchecked", "group": self.group, "proven": self.proven,
            "references": list(self.references), "covers": [list(c) for c in self.covers],
        }
        if result is not None:
            row["detail"], row["seconds"] = result.detail, result.seconds
        row.update(self.extra)
        if result is not None:
            row.update(result.data)
        return row


class Catalogue:
    """The claims, in catalogue order, with their ids unique.

    Example
    -------
    >>> import sympy
    >>> c = Claim("a.b", "one", sympy.Integer(1), "x", AND_OR, "exact",
    ...           derivation=(Step("1 = 1", 1, 1),), covers=[("parity", "xor_tree")])
    >>> cat = Catalogue([c]); len(cat), cat["a.b"].kind, cat.for_family("parity", "xor_tree").id
    (1, 'exact', 'a.b')
    """

    def __init__(self, claims: Iterable[Claim]) -> None:
        self._claims: dict[str, Claim] = {}
        self._families: dict[tuple[str, str], Claim] = {}
        for c in claims:
            if c.id in self._claims:
                raise ClaimError(f"claim id {c.id!r} is defined twice (groups {self._claims[c.id].group!r} and {c.group!r})")
            self._claims[c.id] = c
            for cov in c.covers:
                if cov in self._families:
                    raise ClaimError(f"family {cov[0]} {cov[1]} is covered by two claims: "
                                     f"{self._families[cov].id!r} and {c.id!r}")
                self._families[cov] = c

    def __iter__(self) -> Iterator[Claim]:
        return iter(self._claims.values())

    def __len__(self) -> int:
        return len(self._claims)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._claims

    def __getitem__(self, claim_id: str) -> Claim:
        try:
            return self._claims[claim_id]
        except KeyError:
            raise ClaimError(f"no claim {claim_id!r} in the catalogue ({len(self)} claims; "
                             f"`serialcomp claims` lists them)") from None

    def select(self, ids: Sequence[str] | None = None) -> list[Claim]:
        """The claims with these ids (in the order given, each once), or all of them."""
        if not ids:
            return list(self)
        return [self[i] for i in dict.fromkeys(ids)]

    def for_family(self, problem: str, family: str) -> Claim | None:
        """The claim whose formula is the claimed depth of ``family`` of ``problem``, if any."""
        return self._families.get((problem, family))

    def run(self, ids: Sequence[str] | None = None, progress: Callable[[ClaimResult], None] | None = None
            ) -> list[ClaimResult]:
        """Run the claims (all, or ``ids``) in order; ``progress`` is called after each."""
        out = []
        for c in self.select(ids):
            r = c.run()
            out.append(r)
            if progress is not None:
                progress(r)
        return out


def proofs_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The catalogue folder: ``path``, else ``$SERIALCOMP_PROOFS``, else the repository's ``proofs/``
    (beside the ``serialcomp`` package), else ``./proofs``.

    Raises
    ------
    ClaimError
        If the folder does not exist.
    """
    candidates = [Path(path)] if path is not None else (
        [Path(os.environ["SERIALCOMP_PROOFS"])] if os.environ.get("SERIALCOMP_PROOFS") else
        [Path(__file__).resolve().parents[1] / "proofs", Path.cwd() / "proofs"])
    for p in candidates:
        if p.is_dir():
            return p
    raise ClaimError(f"no proofs folder at {candidates[0]} (the catalogue lives in the repository's proofs/; "
                     "set SERIALCOMP_PROOFS or pass its path)")


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.py")
                  if not p.name.startswith(("_", "test_")) and p.name != "conftest.py")


def load_catalogue(path: str | os.PathLike[str] | None = None) -> Catalogue:
    """Read every group module of the catalogue folder (:func:`proofs_dir`): its ``CLAIMS``.

    Modules are imported under private names (``_serialcomp_proofs_<folder hash>_<stem>``), once per process
    and folder; a module's claims get its stem as their group.

    Raises
    ------
    ClaimError
        If the folder is missing, a module defines no ``CLAIMS``, or two claims share an id.
    """
    folder = proofs_dir(path).resolve()
    claims: list[Claim] = []
    for file in _modules(folder):
        name = f"_serialcomp_proofs_{hashlib.sha1(str(folder).encode()).hexdigest()[:10]}_{file.stem}"
        mod = sys.modules.get(name)
        if mod is None:
            spec = importlib.util.spec_from_file_location(name, file)
            assert spec is not None and spec.loader is not None
            mod = importlib.util.module_from_spec(spec)
            sys.modules[name] = mod
            try:
                spec.loader.exec_module(mod)
            except BaseException:
                sys.modules.pop(name, None)
                raise
        group = getattr(mod, "CLAIMS", None)
        if group is None:
            raise ClaimError(f"{file}: a catalogue module must define CLAIMS (a sequence of Claim)")
        for c in group:
            if not isinstance(c, Claim):
                raise ClaimError(f"{file}: CLAIMS holds a {type(c).__name__}, not a Claim")
            claims.append(c if c.group else _with_group(c, file.stem))
    return Catalogue(claims)


def _with_group(c: Claim, group: str) -> Claim:
    from dataclasses import replace

    return replace(c, group=group)
