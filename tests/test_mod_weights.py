"""The w mod m notebook is a valid notebook whose code is the experiment's own files."""
import re

import nbformat

from engine.notebooks import snippet_code
from notebooks.training import mod_weights_notebook
from tests.project import ROOT


def test_the_notebook_is_valid_and_shows_the_files_the_tests_run():
    notebook = mod_weights_notebook.make_notebook()
    nbformat.validate(notebook)
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    for module in mod_weights_notebook.MODULES:
        assert f"%%writefile {module}\n{snippet_code(ROOT / module)}" in sources, module
    assert any(source.startswith(snippet_code(ROOT / mod_weights_notebook.RESULTS_SCRIPT))
               for source in sources)
    for script in mod_weights_notebook.FIGURE_SCRIPTS:  # the figure code, minus the cache
        shown = mod_weights_notebook.reader_code(script)
        assert shown + "\n\nshown(draw(results))" in sources, script
        # The project's engine (not matplotlib's get_layout_engine) stays out of sight.
        assert not re.search(r"\bengine\b", shown) and "load(" not in shown, script
    outputs = [output for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.outputs]
    assert sum("image/svg+xml" in output.get("data", {}) for output in outputs) == len(
        mod_weights_notebook.FIGURE_SCRIPTS)
