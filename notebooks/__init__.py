"""Notebook pages: `notebooks/<topic>/<page_name>.py` defines `make_notebook()`.

The engine writes the notebook (outputs from cached results, never executed at build time);
mkdocs-jupyter renders it as the page `<topic>/<page-name>.ipynb`.
"""
