"""Figures for Weight Atlas, one script each: `diagrams/<topic>/fig_<what>.py`.

`python -m diagrams` renders them all to SVG under `.cache/diagrams/`; the MkDocs hook
`hooks/figures.py` serves what it rendered. Importing this package imports no plotting
or machine-learning library: that only happens in the per-figure subprocess.
"""
