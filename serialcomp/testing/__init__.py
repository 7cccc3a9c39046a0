"""Testing helpers for serialcomp and its users: hypothesis strategies and naive reference evaluators."""
