"""The truth engine: runs the code that produces what pages show, and caches the results.

Two products come out of one runner:

- figures: `diagrams/<topic>/fig_<what>.py` defines `make_figure() -> Figure`; the SVG is
  served at `diagrams/<topic>/fig_<what>.svg`;
- facts: `facts/<topic>/<page>.py` defines `make_facts() -> dict[str, str | int]`; the
  values replace `{{ name }}` placeholders in `docs/<topic>/<page>.md` (and
  `{{ topic.page.name }}` anywhere).

Each script runs in its own subprocess (`engine._render_one`), cached under `.cache/` by a
hash of the script, the project files it imports, and the installed library versions.
`python -m engine` runs it without MkDocs; `hooks/computed.py` is a thin adapter over it.
Importing this package imports no plotting or machine-learning library.
"""
