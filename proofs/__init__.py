"""The claims catalogue: one module per group of depth-bound claims (see proofs/conftest.py).

A package, so that pytest imports its conftest as ``proofs.conftest``, apart from ``tests/conftest``.
"""
