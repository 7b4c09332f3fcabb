"""Long computations that figures, facts and notebooks read: `make_results(progress) -> dict`.

See engine/results.py. One script per `<topic>/<name>.py`; its JSON is also served on the site.
"""
