"""Test-time compute: search chains on flower graphs, voting, the compute frontier, task DAGs."""
