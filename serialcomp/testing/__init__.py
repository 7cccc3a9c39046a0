"""Testing helpers for serialcomp and its users: hypothesis strategies, naive reference evaluators, and
faults on purpose (real processes for the CLI: :mod:`.cli`; a Dask worker killed at a chosen task: :mod:`.dask`)."""
