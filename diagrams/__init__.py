"""Figures for Weight Atlas, one script each: `diagrams/<topic>/fig_<what>.py`.

`python -m engine` renders them to SVG under `.cache/diagrams/` (engine/); the MkDocs hook
`hooks/computed.py` serves what it rendered. Importing this package imports no plotting
or machine-learning library: the engine runs each figure script in a process of its own.
"""
