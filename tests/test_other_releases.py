"""Claims about other releases are checked against those releases (issue 20, item 3).

facts/_releases.py reads Keras 1, multi-backend Keras 2 and old PyTorch releases from their
own artifacts (downloaded from PyPI by exact version, kept by sha256) and runs the TF1 API in
the pinned tf_keras. Here: each check returns what its release says; each fails when the
page's claim is flipped, and when the release's code is made to say otherwise; the cache is
keyed by hash, is not downloaded twice, and refuses or replaces a file that does not match.
The first run downloads about 93 MB (two PyTorch wheels); later runs read the cache.
"""
import importlib.metadata
import os
import shutil

import pytest

from facts import _releases
from facts._releases import Artifact, ReleaseError

TF_KERAS = f"tf_keras {importlib.metadata.version('tf_keras')}"
RECURRENT = "keras/layers/recurrent.py"

# function -> (value, str, release, where): what each release's code says.
EXPECTED = {
    "keras1_units_argument": ("output_dim", "output_dim", "keras 1.2.2", RECURRENT),
    "keras1_lstm_weight_order": (("i", "c", "f", "o"), "i, c, f, o", "keras 1.2.2", RECURRENT),
    "keras1_lstm_kernel_order": (("i", "f", "c", "o"), "i, f, c, o", "keras 1.2.2", RECURRENT),
    "keras2_gru_reset_after_default": (False, "False", "keras 2.3.1", RECURRENT),
    "keras2_legacy_units_argument": ("output_dim", "output_dim", "keras 2.3.1",
                                     "keras/legacy/interfaces.py"),
    "keras2_recurrent_activation_default": ("hard_sigmoid", "hard_sigmoid", "keras 2.2.5",
                                            RECURRENT),
    "keras2_recurrent_activation_change": ("sigmoid", "sigmoid", "keras 2.3.0", RECURRENT),
    "tf1_recurrent_activation_default": ("hard_sigmoid", "hard_sigmoid", TF_KERAS,
                                         "tf_keras/src/layers/rnn/lstm_v1.py"),
    "tf1_gru_reset_after_default": (False, "False", TF_KERAS,
                                    "tf_keras/src/layers/rnn/gru_v1.py"),
    "torch_solve_removed": ("1.12.0", "1.12.0", "torch 1.12.0", "torch/_linalg_utils.py"),
    "torch_solve_today": ("RuntimeError", "RuntimeError",
                          f"torch {importlib.metadata.version('torch')}", "torch/_linalg_utils.py"),
}

# function -> the page's claim, flipped: each must make the check fail.
FLIPPED = {
    "keras1_units_argument": {"expected": "units"},
    "keras1_lstm_weight_order": {"expected": "i, f, c, o"},
    "keras1_lstm_kernel_order": {"expected": "i, c, f, o"},
    "keras2_gru_reset_after_default": {"expected": True},
    "keras2_legacy_units_argument": {"expected": "units"},
    "keras2_recurrent_activation_default": {"expected": "sigmoid"},
    "keras2_recurrent_activation_change": {"expected": ("sigmoid", "hard_sigmoid")},
    "tf1_recurrent_activation_default": {"expected": "sigmoid"},
    "tf1_gru_reset_after_default": {"expected": True},
    "torch_solve_removed": {"last_with": _releases.TORCH_SOLVE_REMOVED,
                            "first_without": _releases.TORCH_SOLVES},
    "torch_solve_today": {"expected": "AttributeError"},
}

# function -> (file, text in it, the same text changed so the release says otherwise).
EDITED_RELEASE = {
    "keras1_units_argument": (RECURRENT, "    def __init__(self, output_dim,\n",
                              "    def __init__(self, units,\n"),
    "keras1_lstm_weight_order": (RECURRENT, "self.W_c, self.U_c, self.b_c,\n"
                                            "                                      "
                                            "self.W_f, self.U_f, self.b_f,",
                                 "self.W_f, self.U_f, self.b_f,\n"
                                 "                                      "
                                 "self.W_c, self.U_c, self.b_c,"),
    "keras2_gru_reset_after_default": (RECURRENT, "reset_after=False", "reset_after=True"),
    "keras2_legacy_units_argument": ("keras/legacy/interfaces.py", "('output_dim', 'units')",
                                     "('output_dim', 'output_dim')"),
    "keras2_recurrent_activation_change": (RECURRENT, "recurrent_activation='sigmoid'",
                                           "recurrent_activation='hard_sigmoid'"),
    "torch_solve_removed": ("torch/__init__.py", "from ._linalg_utils import solve",
                            "from ._linalg_utils import lstsq"),
}


def test_the_functions_a_page_uses_are_all_checked_here():
    public = {name for name, value in vars(_releases).items() if callable(value)
              and getattr(value, "__module__", "") == _releases.__name__
              and name.startswith(("keras1_", "keras2_", "tf1_", "torch_solve_"))}
    assert public - {"torch_solve_solves", "keras2_hard_sigmoid"} == set(EXPECTED) == set(FLIPPED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_check_returns_what_its_release_says(name):
    checked = getattr(_releases, name)()
    value, shown, release, where = EXPECTED[name]
    assert (checked.value, str(checked), checked.release, checked.where) == (
        value, shown, release, where)


def test_a_change_names_the_release_before_it():
    activation = _releases.keras2_recurrent_activation_change()
    assert (activation.before.value, activation.before.release) == ("hard_sigmoid", "keras 2.2.5")
    solve = _releases.torch_solve_removed()
    assert (solve.before.value, solve.before.release, solve.before.where) == (
        "1.11.0", "torch 1.11.0", "torch/_C/_VariableFunctions.pyi")
    assert _releases.keras2_recurrent_activation_default() == activation.before


def test_torch_solve_solves_in_the_last_release_with_it_and_not_in_the_next():
    assert _releases.torch_solve_solves(_releases.TORCH_SOLVES).value is True
    assert _releases.torch_solve_solves(_releases.TORCH_SOLVE_REMOVED).value is False


def test_keras2_hard_sigmoid_is_a_clipped_line():
    checked = _releases.keras2_hard_sigmoid()
    line = checked.value
    assert (line.slope, line.shift, line.low, line.high) == (0.2, 0.5, 0.0, 1.0)
    assert (checked.release, checked.where) == ("keras 2.2.5", "keras/backend/tensorflow_backend.py")
    assert list(line([-3.0, -2.5, 0.0, 1.0, 3.0])) == [0.0, 0.0, 0.5, 0.7, 1.0]
    assert str(checked) == "0.2 x + 0.5, clipped to [0, 1]"


@pytest.mark.parametrize("name", sorted(FLIPPED))
def test_a_flipped_claim_fails(name):
    with pytest.raises(AssertionError):
        getattr(_releases, name)(**FLIPPED[name])


@pytest.mark.parametrize("name", sorted(EDITED_RELEASE))
def test_a_release_whose_code_says_otherwise_fails(name, monkeypatch):
    """The checks read the release's code: the same code, edited, fails the same claim."""
    member, old, new = EDITED_RELEASE[name]
    original, edits = _releases.member_text, []

    def edited(artifact, wanted):
        text = original(artifact, wanted)
        if wanted == member and old in text:
            edits.append(artifact.release)
            return text.replace(old, new)
        return text

    getattr(_releases, name)()  # passes on the real code
    monkeypatch.setattr(_releases, "member_text", edited)
    with pytest.raises(AssertionError):
        getattr(_releases, name)()
    assert edits, f"{old!r} is in no {member} the check read"


def test_an_edited_hard_sigmoid_is_read_as_edited(monkeypatch):
    original = _releases.member_text
    monkeypatch.setattr(_releases, "member_text", lambda artifact, member: original(
        artifact, member).replace("x = (0.2 * x) + 0.5", "x = (0.25 * x) + 0.5"))
    assert _releases.keras2_hard_sigmoid().value.slope == 0.25


def test_each_artifact_is_kept_under_its_hash_and_not_downloaded_again():
    for artifact in _releases.ARTIFACTS.values():
        path = _releases.artifact_path(artifact)
        assert path == _releases.releases_dir() / artifact.sha256 / artifact.filename
        assert _releases.sha256_of(path) == artifact.sha256
        before = os.stat(path)
        again = _releases.artifact_path(artifact)
        after = os.stat(again)
        assert (again, after.st_ino, after.st_mtime_ns) == (path, before.st_ino, before.st_mtime_ns)


def test_release_file_reads_a_member_by_package_and_version():
    text = _releases.release_file("Keras", "1.2.2", RECURRENT)  # an sdist: its top folder left out
    assert "class LSTM(Recurrent):" in text
    assert "def hard_sigmoid(x):" in _releases.release_file(
        "keras", "2.2.5", "keras/backend/tensorflow_backend.py")  # a wheel


def test_a_missing_member_names_package_version_and_member():
    with pytest.raises(ReleaseError, match=r"keras 1\.2\.2: no keras/layers/no_such\.py"):
        _releases.release_file("keras", "1.2.2", "keras/layers/no_such.py")


def test_an_unpinned_release_is_refused():
    with pytest.raises(ReleaseError, match=r"keras 0\.3\.0 is not pinned.*keras/models\.py"):
        _releases.release_file("keras", "0.3.0", "keras/models.py")


def test_a_corrupted_cache_file_is_detected_by_its_hash_and_fetched_again(tmp_path, monkeypatch):
    artifact = _releases.KERAS_1
    kept = _releases.artifact_path(artifact)
    monkeypatch.setenv("WEIGHT_ATLAS_RELEASES", str(tmp_path))  # a private cache to corrupt
    path = tmp_path / artifact.sha256 / artifact.filename
    path.parent.mkdir(parents=True)
    shutil.copy(kept, path)
    assert _releases.artifact_path(artifact) == path  # read from the cache as it is
    path.write_bytes(kept.read_bytes()[:-1000])  # truncated
    assert _releases.artifact_path(artifact) == path
    assert _releases.sha256_of(path) == artifact.sha256
    assert "def __init__(self, output_dim," in _releases.member_text(artifact, RECURRENT)


def test_an_artifact_that_does_not_match_its_pinned_hash_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("WEIGHT_ATLAS_RELEASES", str(tmp_path))
    wrong = Artifact(_releases.KERAS_1.filename, "0" * 64)
    with pytest.raises(ReleaseError, match=r"keras 1\.2\.2: Keras-1\.2\.2\.tar\.gz has sha256 "
                                           r"d2b18c4.* not the pinned 0{64}: refused"):
        _releases.artifact_path(wrong)
    assert not (tmp_path / wrong.sha256).exists()


def test_pip_is_asked_for_the_pinned_file_and_no_other():
    assert _releases.KERAS_1.pip_options() == ["--no-binary", ":all:"]
    assert _releases.KERAS_2.pip_options() == ["--only-binary", ":all:"]
    assert _releases.TORCH_SOLVE_REMOVED.pip_options() == [
        "--only-binary", ":all:", "--platform", "macosx_11_0_arm64", "--abi", "none",
        "--implementation", "cp", "--python-version", "37"]
