"""Flattening a :class:`~serialcomp.ir.circuit.Circuit` into a simulator program (private).

The compiled simulator does not walk the circuit; it runs a flat ``int64`` *program* produced here
once per circuit.  Lowering happens in three jitted passes, all O(nodes + edges):

1. :func:`_lower` resolves every node to a literal or an instruction: BUF nodes become aliases of
   their fan-in, constant fan-ins are folded, OR becomes AND with complemented edges, MOD_2 becomes
   XOR, MAJ becomes THR, and THR is normalised (below).
2. :func:`_schedule` marks the nodes outputs depend on, computes each node's last use and assigns
   buffer *slots* with a free list: a slot is reused once the value it holds is dead, so the
   working set is the circuit's maximal live width, not its size.  Inputs are loaded just before
   their first use; an output is copied out right after its node is computed.

Threshold normalisation (THR, MAJ)
----------------------------------
With ``w < 0``, ``w*x = |w|*(1 - x) + w``: the edge is complemented, the weight made positive and
the threshold raised by ``|w|``.  Constant fan-ins move into the threshold.  Then, with threshold
``T`` and positive weights of sum ``S``: ``T <= 0`` is constant 1, ``T > S`` constant 0; weights
are clamped to ``T`` (an edge of weight ``>= T`` alone decides); if every weight equals ``T`` the
gate is an OR, if ``S == T`` an AND; otherwise it is a counter instruction with ``B`` bit slices,
``B`` the least integer with ``2**B >= T``, initialised to ``C0 = 2**B - T`` (see ``_kernels``).
Every intermediate ``T`` lies below ``|t| + f * max|w| < 2**50 + 2**20 * 2**40 < 2**61`` in
magnitude, so the int64 arithmetic here cannot overflow and ``B <= 61``: the circuit constructors
bound the fan-in of a THR gate by :data:`serialcomp.ir.gates.MAX_THR_FANIN`, whose documentation
holds the derivation.

Program format
--------------
Operands are ``slot << 1 | negated``; slot 0 is the all-zero row (the constant node)::

    AND2  d a b              d = a & b                    (AND2N: d = ~(a & b))
    XOR2  d a b              d = a ^ b
    ANDN  d neg n ops[n]     d = AND(ops) ^ neg           (n >= 3)
    XORN  d neg n ops[n]     d = XOR(ops) ^ neg           (n >= 3)
    THR   d n B C0 (op w)[n] d = [C0 + sum w_i op_i >= 2**B]   (2B + 1 scratch rows)
    MAJ3  d a b c            d = majority(a, b, c)        (THR with T = 2 over three unit weights)
    MOD   d r n ops[n]       d = [sum ops == 0 mod m], r = min(m, n + 1) one-hot slices (r + 1 rows)
    LOAD  d i                d = input row i
    EMIT  k op               output row k = op

Reference: :func:`serialcomp.testing.reference.evaluate_reference` (tests run every program
against it, through the kernels in :mod:`serialcomp.sim._kernels`).
"""

from __future__ import annotations

import numpy as np

from .._jit import jit

__all__: list[str] = []

# Gate kinds (serialcomp.ir.gates.GateKind), repeated as plain ints for the kernels.
K_CONST, K_INPUT, K_BUF, K_AND, K_OR, K_XOR, K_MAJ, K_THR, K_MOD = range(9)

# Intermediate node kinds produced by _lower.
IR_NONE, IR_AND, IR_XOR, IR_THR, IR_MOD = range(5)

# Opcodes of the flat program.
OP_AND2, OP_AND2N, OP_XOR2, OP_ANDN, OP_XORN, OP_THR, OP_MOD, OP_LOAD, OP_EMIT, OP_MAJ3 = range(1, 11)


@jit
def _lower(kind, fanin_ptr, fanin, weight, param):  # pragma: no cover - compiled
    """Resolve every node: ``rep[v]`` is the literal holding its value (``2*v`` if computed).

    Returns ``rep, irk, irneg, ircnt, irp1, irp2, lits, ws``: per node the IR kind, output
    negation, operand count, two parameters (THR: ``B, C0``; MOD: ``r, m``), and the resolved
    operand literals and weights, stored at the node's own CSR offsets.
    """
    n = kind.shape[0]
    ne = fanin.shape[0]
    rep = np.zeros(n, np.int64)
    irk = np.zeros(n, np.int64)
    irneg = np.zeros(n, np.int64)
    ircnt = np.zeros(n, np.int64)
    irp1 = np.zeros(n, np.int64)
    irp2 = np.zeros(n, np.int64)
    lits = np.zeros(max(ne, 1), np.int64)
    ws = np.ones(max(ne, 1), np.int64)
    for v in range(1, n):
        k = kind[v]
        lo = fanin_ptr[v]
        hi = fanin_ptr[v + 1]
        if k == K_INPUT:
            rep[v] = 2 * v
        elif k == K_BUF:
            rep[v] = rep[fanin[lo] >> 1] ^ (fanin[lo] & 1)
        elif k == K_AND or k == K_OR:
            flip = 1 if k == K_OR else 0  # OR(x) = ~AND(~x)
            cnt = 0
            zero = False
            for e in range(lo, hi):
                l = rep[fanin[e] >> 1] ^ (fanin[e] & 1) ^ flip
                if l == 1:
                    continue
                if l == 0:
                    zero = True
                    break
                lits[lo + cnt] = l
                cnt += 1
            if zero:
                rep[v] = flip
            elif cnt == 0:
                rep[v] = 1 ^ flip
            elif cnt == 1:
                rep[v] = lits[lo] ^ flip
            else:
                rep[v] = 2 * v
                irk[v] = IR_AND
                irneg[v] = flip
                ircnt[v] = cnt
        elif k == K_XOR or (k == K_MOD and param[v] == 2):
            parity = 1 if k == K_MOD else 0  # MOD_2 = NOT parity
            cnt = 0
            for e in range(lo, hi):
                l = rep[fanin[e] >> 1] ^ (fanin[e] & 1)
                if l <= 1:
                    parity ^= l
                    continue
                lits[lo + cnt] = l
                cnt += 1
            if cnt == 0:
                rep[v] = parity
            elif cnt == 1:
                rep[v] = lits[lo] ^ parity
            else:
                rep[v] = 2 * v
                irk[v] = IR_XOR
                irneg[v] = parity
                ircnt[v] = cnt
        elif k == K_MOD:
            m = param[v]
            cnt = 0
            for e in range(lo, hi):
                l = rep[fanin[e] >> 1] ^ (fanin[e] & 1)
                if l == 0:
                    continue  # adds nothing; constant 1 stays an operand (slot 0, complemented)
                lits[lo + cnt] = l
                cnt += 1
            if cnt == 0:
                rep[v] = 1
            else:
                rep[v] = 2 * v
                irk[v] = IR_MOD
                ircnt[v] = cnt
                irp1[v] = min(m, cnt + 1)
                irp2[v] = m
        elif k == K_MAJ or k == K_THR:
            t = param[v] if k == K_THR else (hi - lo) // 2 + 1
            cnt = 0
            for e in range(lo, hi):
                w = weight[e] if k == K_THR else 1
                l = rep[fanin[e] >> 1] ^ (fanin[e] & 1)
                if w == 0:
                    continue
                if w < 0:  # w*x = |w|*(1-x) + w
                    l ^= 1
                    t -= w
                    w = -w
                if l == 0:
                    continue
                if l == 1:
                    t -= w
                    continue
                lits[lo + cnt] = l
                ws[lo + cnt] = w
                cnt += 1
            if t <= 0:
                rep[v] = 1
                continue
            s = 0
            all_t = True
            for j in range(lo, lo + cnt):
                if ws[j] >= t:
                    ws[j] = t
                else:
                    all_t = False
                s += ws[j]
                if s > t:
                    s = t + 1  # saturate: only s < t, s == t, s > t matter
            if s < t:
                rep[v] = 0
            elif all_t:  # an OR of the operands
                if cnt == 1:
                    rep[v] = lits[lo]
                else:
                    for j in range(lo, lo + cnt):
                        lits[j] ^= 1
                    rep[v] = 2 * v
                    irk[v] = IR_AND
                    irneg[v] = 1
                    ircnt[v] = cnt
            elif s == t:  # every operand needed: an AND (cnt >= 2 here)
                rep[v] = 2 * v
                irk[v] = IR_AND
                ircnt[v] = cnt
            else:
                b = 0
                while (np.int64(1) << b) < t:
                    b += 1
                rep[v] = 2 * v
                irk[v] = IR_THR
                ircnt[v] = cnt
                irp1[v] = b
                irp2[v] = (np.int64(1) << b) - t
    return rep, irk, irneg, ircnt, irp1, irp2, lits, ws


@jit
def _schedule(kind, fanin_ptr, outputs, rep, irk, irneg, ircnt, irp1, irp2, lits, ws):  # pragma: no cover
    """Emit the flat program; returns ``(code, n_slots, n_scratch, n_instructions)``."""
    n = kind.shape[0]
    n_out = outputs.shape[0]
    # Nodes the outputs depend on.
    needed = np.zeros(n, np.bool_)
    out_lit = np.zeros(n_out, np.int64)
    for k in range(n_out):
        out_lit[k] = rep[outputs[k] >> 1] ^ (outputs[k] & 1)
        needed[out_lit[k] >> 1] = True
    for v in range(n - 1, 0, -1):
        if needed[v] and irk[v] != IR_NONE:
            lo = fanin_ptr[v]
            for j in range(lo, lo + ircnt[v]):
                needed[lits[j] >> 1] = True
    # Last use of every value (a node is at least "used" where it is defined).
    last = np.arange(n, dtype=np.int64)
    for v in range(1, n):
        if needed[v] and irk[v] != IR_NONE:
            lo = fanin_ptr[v]
            for j in range(lo, lo + ircnt[v]):
                u = lits[j] >> 1
                if v > last[u]:
                    last[u] = v
    # Outputs grouped by the node they copy (CSR).
    optr = np.zeros(n + 1, np.int64)
    for k in range(n_out):
        optr[(out_lit[k] >> 1) + 1] += 1
    for v in range(n):
        optr[v + 1] += optr[v]
    ofill = optr[:-1].copy()
    oidx = np.zeros(max(n_out, 1), np.int64)
    for k in range(n_out):
        u = out_lit[k] >> 1
        oidx[ofill[u]] = k
        ofill[u] += 1
    n_edges = 0
    for v in range(n):
        n_edges += ircnt[v]
    code = np.zeros(6 * n + 2 * n_edges + 3 * n_out + 8, np.int64)
    slot = np.full(n, -1, np.int64)
    slot[0] = 0
    stack = np.zeros(n + 1, np.int64)
    top = 0
    n_slots = 1
    n_scratch = 1
    n_instr = 0
    pc = 0
    for v in range(n):
        is_input = kind[v] == K_INPUT
        computed = needed[v] and irk[v] != IR_NONE
        if not computed and not (is_input or v == 0):
            continue
        if is_input and optr[v + 1] > optr[v] and slot[v] < 0:
            if top > 0:
                top -= 1
                s = stack[top]
            else:
                s = n_slots
                n_slots += 1
            slot[v] = s
            code[pc] = OP_LOAD
            code[pc + 1] = s
            code[pc + 2] = v - 1
            pc += 3
        if computed:
            lo = fanin_ptr[v]
            cnt = ircnt[v]
            for j in range(lo, lo + cnt):  # load inputs at their first use
                u = lits[j] >> 1
                if slot[u] < 0:
                    if top > 0:
                        top -= 1
                        s = stack[top]
                    else:
                        s = n_slots
                        n_slots += 1
                    slot[u] = s
                    code[pc] = OP_LOAD
                    code[pc + 1] = s
                    code[pc + 2] = u - 1
                    pc += 3
            if top > 0:
                top -= 1
                d = stack[top]
            else:
                d = n_slots
                n_slots += 1
            slot[v] = d
            n_instr += 1
            ik = irk[v]
            if ik == IR_AND and cnt == 2:
                code[pc] = OP_AND2N if irneg[v] else OP_AND2
                code[pc + 1] = d
                code[pc + 2] = (slot[lits[lo] >> 1] << 1) | (lits[lo] & 1)
                code[pc + 3] = (slot[lits[lo + 1] >> 1] << 1) | (lits[lo + 1] & 1)
                pc += 4
            elif ik == IR_XOR and cnt == 2:
                code[pc] = OP_XOR2
                code[pc + 1] = d
                code[pc + 2] = ((slot[lits[lo] >> 1] << 1) | (lits[lo] & 1)) ^ irneg[v]
                code[pc + 3] = (slot[lits[lo + 1] >> 1] << 1) | (lits[lo + 1] & 1)
                pc += 4
            elif ik == IR_THR and cnt == 3 and irp1[v] == 1 and ws[lo] + ws[lo + 1] + ws[lo + 2] == 3:
                code[pc] = OP_MAJ3  # T = 2 (B = 1, C0 = 0) over three unit weights
                code[pc + 1] = d
                for j in range(3):
                    code[pc + 2 + j] = (slot[lits[lo + j] >> 1] << 1) | (lits[lo + j] & 1)
                pc += 5
            elif ik == IR_THR:
                code[pc] = OP_THR
                code[pc + 1] = d
                code[pc + 2] = cnt
                code[pc + 3] = irp1[v]
                code[pc + 4] = irp2[v]
                pc += 5
                for j in range(lo, lo + cnt):
                    code[pc] = (slot[lits[j] >> 1] << 1) | (lits[j] & 1)
                    code[pc + 1] = ws[j]
                    pc += 2
                n_scratch = max(n_scratch, 2 * irp1[v] + 1)
            else:
                code[pc] = OP_ANDN if ik == IR_AND else (OP_XORN if ik == IR_XOR else OP_MOD)
                code[pc + 1] = d
                code[pc + 2] = irp1[v] if ik == IR_MOD else irneg[v]
                code[pc + 3] = cnt
                pc += 4
                for j in range(lo, lo + cnt):
                    code[pc] = (slot[lits[j] >> 1] << 1) | (lits[j] & 1)
                    pc += 1
                if ik == IR_MOD:
                    n_scratch = max(n_scratch, irp1[v] + 1)
        for q in range(optr[v], optr[v + 1]):
            k = oidx[q]
            code[pc] = OP_EMIT
            code[pc + 1] = k
            code[pc + 2] = (slot[v] << 1) | (out_lit[k] & 1)
            pc += 3
        # Free what died here: operands whose last use is v, and v itself if nothing reads it.
        if computed:
            lo = fanin_ptr[v]
            for j in range(lo, lo + ircnt[v]):
                u = lits[j] >> 1
                if u != 0 and last[u] == v and slot[u] >= 0:
                    stack[top] = slot[u]
                    top += 1
                    slot[u] = -2  # freed (dead); never read again
        if v != 0 and last[v] == v and slot[v] >= 0:
            stack[top] = slot[v]
            top += 1
            slot[v] = -2
    return code[:pc].copy(), n_slots, n_scratch, n_instr


def build_program(circuit) -> tuple[np.ndarray, int, int, int]:
    """Lower ``circuit`` to ``(code, n_slots, n_scratch, n_instructions)``; see the module docstring."""
    low = _lower(circuit.kind, circuit.fanin_ptr, circuit.fanin, circuit.weight, circuit.param)
    code, n_slots, n_scratch, n_instr = _schedule(circuit.kind, circuit.fanin_ptr, circuit.outputs, *low)
    return code, int(n_slots), int(n_scratch), int(n_instr)
