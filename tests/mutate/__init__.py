"""The project's own mutation score: wrong edits of the pages, facts, figures and
snippets, and how many of them the tests catch (`make mutate`, README "Mutation score").

- `mutant.py`: a Mutant (file, line, operator, description, the edited text);
- `pages.py`, `equations.py`: operators over pages (docs/**/*.md);
- `scripts.py`: operators over facts, figures and snippets (Python, via `ast`);
- `operators.py`: the registry, and every mutant of a file or of the project;
- `affected.py`: which tests an edit of a file can make fail (one table);
- `runner.py`: each mutant in a throw-away copy of the project, its tests, the score;
- `__main__.py`: `python -m tests.mutate`.
"""
