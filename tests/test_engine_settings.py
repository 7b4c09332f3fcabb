"""The engine's settings come from pyproject.toml, with errors that name the file and key."""
import dataclasses

import pytest

from engine import settings
from engine.settings import GIB, SETTINGS, load
from tests.project import ROOT

TABLE = (ROOT / "pyproject.toml").read_text().split("[tool.weight-atlas.engine]")[1]


def pyproject_with(tmp_path, table: str):
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.weight-atlas.engine]{table}")
    return path


def test_the_settings_are_the_projects(tmp_path):
    assert load(pyproject_with(tmp_path, TABLE)) == SETTINGS
    assert SETTINGS.figure_style == ROOT / "diagrams/_style.py"
    assert SETTINGS.environment["KERAS_BACKEND"] == "tensorflow"  # the pages say Keras on TensorFlow


def test_a_missing_table_or_key_is_named(tmp_path):
    empty = tmp_path / "pyproject.toml"
    empty.write_text("[project]\nname = 'x'\n")
    with pytest.raises(KeyError, match=r"has no \[tool.weight-atlas.engine\] table"):
        load(empty)
    without_limit = TABLE.replace("time-limit-seconds = 600", "")
    with pytest.raises(KeyError, match="has no 'time-limit-seconds'"):
        load(pyproject_with(tmp_path, without_limit))


def test_a_wrong_value_is_named(tmp_path):
    with pytest.raises(TypeError, match="preload is not a list"):
        load(pyproject_with(tmp_path, TABLE.replace('preload = [', 'preload = "numpy"\nx = [')))
    with pytest.raises(ValueError, match="figure-style must be"):
        load(pyproject_with(tmp_path, TABLE.replace('"diagrams/_style.py:RC_PARAMS"', '"diagrams/none.py:X"')))


def test_runs_at_once_fit_the_cores_and_the_memory():
    two_gib = dataclasses.replace(SETTINGS, memory_per_run=2 * GIB)
    assert two_gib.jobs(cores=2, available=20 * GIB) == 2
    assert two_gib.jobs(cores=8, available=5 * GIB) == 2  # memory for two
    assert two_gib.jobs(cores=2, available=GIB) == 1  # never none
    assert settings.available_memory() > 0
