"""Arrays on entry, and the block reordering the conversion rules are made of.

NumPy only: importing this module imports neither Keras nor PyTorch. `as_array` turns
what a reader may hold (a NumPy array, a list, a PyTorch tensor with or without grad, in
bfloat16 too, a Keras variable under any backend) into a NumPy array, and refuses what
cannot be a weight with a message that says which argument and why.
"""

from collections.abc import Sequence
from typing import Any

import numpy as np

from weightatlas.errors import ConversionError, UnsupportedDtype

__all__ = [
    "as_array",
    "transposed",
    "common_dtype",
    "block_indices",
    "block_permutation",
    "reorder_blocks",
]


def _library(value: Any) -> str:
    """The top-level package that defines the type of `value` ('torch', 'keras', ...)."""
    return type(value).__module__.split(".")[0]


def _torch_to_numpy(tensor: Any) -> np.ndarray:
    """A PyTorch tensor as NumPy: detached (grad or not), on the CPU, bfloat16 widened."""
    tensor = tensor.detach().cpu()
    if str(tensor.dtype) == "torch.bfloat16":  # NumPy has no bfloat16
        tensor = tensor.float()
    return tensor.numpy()


def _to_numpy(value: Any) -> np.ndarray:
    library = _library(value)
    if library == "torch" and hasattr(value, "detach"):
        return _torch_to_numpy(value)
    if library == "keras" and hasattr(value, "value"):
        # A Keras Variable: read the backend tensor it holds (a torch Parameter under
        # KERAS_BACKEND=torch, which np.asarray cannot read while it requires grad).
        return _to_numpy(value.value)
    if library == "tensorflow" and hasattr(value, "numpy"):
        # A tf.Variable or eager tensor: its own numpy(), as its __array__ predates
        # NumPy 2's copy keyword.
        return np.asarray(value.numpy())
    return np.asarray(value)  # NumPy, lists, JAX arrays


def as_array(value: Any, name: str = "array") -> np.ndarray:
    """`value` as a NumPy array of floats, or a `ConversionError` naming `name`.

    Accepts NumPy arrays, nested lists or tuples of numbers, PyTorch tensors (that
    require grad or not, on any device, bfloat16 widened to float32: NumPy has no
    bfloat16), Keras variables and backend tensors (TensorFlow, PyTorch, JAX), and
    ml_dtypes' bfloat16 arrays (widened to float32). Refuses None, integer and boolean
    arrays (weights are floats: an integer array is most often labels or token ids
    passed by mistake) and ragged lists.
    """
    if value is None:
        raise ConversionError(f"{name} is None: pass the array itself (a layer without "
                              "bias has no bias array: leave it out instead)")
    if isinstance(value, (str, bytes)):
        raise ConversionError(f"{name} is a {type(value).__name__}, not an array")
    try:
        array = _to_numpy(value)
    except (TypeError, ValueError, RuntimeError) as error:
        raise ConversionError(
            f"{name} ({type(value).__name__}) cannot be read as an array: {error}"
        ) from error
    if array.dtype.name == "bfloat16":  # ml_dtypes, as TensorFlow and JAX return it
        array = array.astype(np.float32)
    if array.dtype == object:
        raise ConversionError(
            f"{name} is ragged or holds objects ({type(value).__name__}): rows of "
            "different lengths are not a weight array"
        )
    if not np.issubdtype(array.dtype, np.floating):
        raise UnsupportedDtype(
            f"{name} holds {array.dtype} values: weights are floating-point numbers. If "
            f"these really are weights, pass {name}.astype('float32'); an integer array "
            "is most often token ids or labels passed by mistake"
        )
    return array


def common_dtype(arrays: dict[str, np.ndarray], what: str = "these arrays") -> np.dtype:
    """The one floating-point dtype of `arrays`, or an error naming the ones that differ.

    A silent cast would change the numbers (float64 to float32 loses digits), so mixed
    precisions are refused and the reader picks one.
    """
    dtypes = {name: array.dtype for name, array in arrays.items()}
    distinct = sorted({str(dtype) for dtype in dtypes.values()})
    if len(distinct) > 1:
        listed = ", ".join(f"{name} is {dtype}" for name, dtype in dtypes.items())
        raise UnsupportedDtype(
            f"{what} mix {' and '.join(distinct)} ({listed}): converting would round some "
            f"of them silently. Cast them all to one dtype first, e.g. "
            f"array.astype('{distinct[-1]}')"
        )
    if not dtypes:
        raise ConversionError(f"{what}: no arrays")
    return next(iter(dtypes.values()))


def block_indices(order: Sequence[int], size: int) -> np.ndarray:
    """Indices that pick blocks of `size` in the given `order`: block order[k] comes k-th.

    >>> block_indices([1, 0, 2], 2).tolist()
    [2, 3, 0, 1, 4, 5]
    """
    return np.concatenate(
        [np.arange(block * size, (block + 1) * size) for block in order]
    ).astype(np.intp) if len(order) else np.zeros(0, np.intp)


def block_permutation(source: Sequence[str], target: Sequence[str], size: int) -> np.ndarray:
    """Indices that take blocks stored in `source` order to `target` order.

    `source` and `target` name the same gates, e.g. ("z", "r", "h") and ("r", "z", "h");
    `array[..., block_permutation(source, target, units)]` reorders the last axis.

    >>> block_permutation("zrh", "rzh", 1).tolist()
    [1, 0, 2]
    """
    if sorted(source) != sorted(target):
        raise ValueError(f"{list(source)} and {list(target)} do not name the same blocks")
    return block_indices([list(source).index(gate) for gate in target], size)


def reorder_blocks(array: np.ndarray, source: Sequence[str], target: Sequence[str],
                   axis: int = -1) -> np.ndarray:
    """`array` with its blocks along `axis` moved from `source` order to `target` order."""
    size, remainder = divmod(array.shape[axis], len(source))
    if remainder:
        raise ValueError(
            f"axis {axis} of length {array.shape[axis]} does not split into "
            f"{len(source)} blocks"
        )
    return np.take(array, block_permutation(source, target, size), axis=axis)



# Rows per slab of `transposed`: a slab's source rows and target columns stay in cache.
TRANSPOSE_SLAB = 128


def transposed(array: np.ndarray) -> np.ndarray:
    """The transpose of a 2-D array as a new C-contiguous array.

    Copied in slabs of rows, about three times faster than `np.ascontiguousarray(a.T)`
    for the matrices of large layers, whose conversion is mostly transposing."""
    if array.ndim != 2:
        return np.ascontiguousarray(array.T)
    result = np.empty(array.shape[::-1], dtype=array.dtype)
    for start in range(0, array.shape[0], TRANSPOSE_SLAB):
        result[:, start:start + TRANSPOSE_SLAB] = array[start:start + TRANSPOSE_SLAB].T
    return result
