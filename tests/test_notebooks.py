"""Every notebook in notebooks/ runs top to bottom (at the small sizes it sets for itself)."""

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

# Environment a notebook runs under in the tests (its kernel inherits it): 02 trains its tiny config
# and studies it, whatever the developer's shell asks for and whatever results/ holds.
NOTEBOOK_ENV = {
    "02_looped_models.ipynb": lambda tmp: {"SERIALCOMP_LOOPS_CONFIG": "tiny",
                                           "SERIALCOMP_LOOPS_RESULTS": str(tmp / "no-saved-results")},
}


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path, monkeypatch):
    for key, value in NOTEBOOK_ENV.get(path.name, lambda tmp: {})(tmp_path).items():
        monkeypatch.setenv(key, value)
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"{path.name}: outputs are committed; strip them"
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
