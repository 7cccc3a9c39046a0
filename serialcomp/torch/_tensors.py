"""Many small index tensors kept as a few flat buffers (private).

A compiled circuit holds, per gate group, a handful of index and mask tensors; a deep circuit has
tens of thousands of groups. Moving that many tensors to a device one by one is slow, so they are
concatenated per field into one flat buffer each, registered on the module, and sliced back into
views once per device (:meth:`FlatTensors.views`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__: list[str] = []


class FlatTensors:
    """Collects numpy arrays per (group, field), then packs each field into one flat array."""

    def __init__(self) -> None:
        self._parts: dict[str, list[np.ndarray]] = {}
        self._sizes: dict[str, int] = {}
        self.layout: list[dict[str, tuple[str, int, tuple[int, ...]]]] = []

    def add(self, **fields: np.ndarray) -> int:
        """Store one group's arrays; returns the group's index."""
        entry = {}
        for name, arr in fields.items():
            arr = np.ascontiguousarray(arr)
            key = f"{name}_{arr.dtype.name}"
            off = self._sizes.get(key, 0)
            self._parts.setdefault(key, []).append(arr.ravel())
            self._sizes[key] = off + arr.size
            entry[name] = (key, off, tuple(arr.shape))
        self.layout.append(entry)
        return len(self.layout) - 1

    def buffers(self) -> dict[str, np.ndarray]:
        """One flat array per field (and dtype)."""
        return {k: np.concatenate(v) if v else np.zeros(0) for k, v in self._parts.items()}


def make_views(flat: dict[str, Any], layout: list[dict[str, tuple[str, int, tuple[int, ...]]]]) -> list[dict[str, Any]]:
    """Per group, a dict of tensor views into the flat buffers ``flat`` (keyed as in the layout)."""
    out = []
    for entry in layout:
        out.append({name: flat[key].narrow(0, off, int(np.prod(shape, dtype=np.int64))).view(shape)
                    for name, (key, off, shape) in entry.items()})
    return out
