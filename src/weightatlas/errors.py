"""The errors the package raises: one hierarchy, so a reader can catch them all.

Every error is a `ConversionError`, itself a `ValueError`; the ones about the kind of
object passed are `TypeError`s too. Each message names the layer, the array, what was
expected and what was found, and what to do instead.
"""

__all__ = [
    "ConversionError",
    "UnsupportedLayer",
    "UnsupportedOption",
    "ShapeMismatch",
    "LooksTransposed",
    "UnsupportedDtype",
    "UnsafeFile",
    "UnreadableFile",
]


class ConversionError(ValueError):
    """Something the package cannot convert, or cannot convert without a wrong answer."""


class UnsupportedLayer(ConversionError, TypeError):
    """An object that is not a layer or module of a family the package converts."""


class UnsupportedOption(ConversionError):
    """A layer whose options have no equivalent on the other side (an activation,
    reset_after=False, go_backwards, a mask, stateful=True, proj_size, ...)."""


class ShapeMismatch(ConversionError):
    """Arrays whose shapes do not fit the layer they are said to belong to."""


class LooksTransposed(ShapeMismatch):
    """An array whose shape is the transpose of the expected one: likely the other
    library's layout."""


class UnsupportedDtype(ConversionError):
    """Integer, boolean or object arrays, or arrays of one layer or stack that mix
    floating-point precisions."""


class UnsafeFile(ConversionError):
    """A file that could run code when read, or that cannot be read as data."""


class UnreadableFile(ConversionError):
    """The file is missing, of an unknown kind, damaged, or not laid out as expected."""


# Tracebacks and doctests show the public name, weightatlas.ShapeMismatch, not the
# module that happens to define it.
for _error in (ConversionError, UnsupportedLayer, UnsupportedOption, ShapeMismatch,
               LooksTransposed, UnsupportedDtype, UnsafeFile, UnreadableFile):
    _error.__module__ = "weightatlas"
del _error
