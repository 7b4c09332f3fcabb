"""The look every figure shares: gate colours, gate names, gate order, matplotlib settings.

The renderer applies `RC_PARAMS` before it imports a figure script; scripts import the
names below and never set rcParams themselves.
"""
from matplotlib.colors import to_hex, to_rgb

# Keras lays the four gates side by side along the last axis of kernel, recurrent_kernel
# and bias in this order; the LSTM page proves it numerically. Figures index by it.
KERAS_GATE_ORDER = ("i", "f", "c", "o")


def gate_columns(units: int) -> dict[str, tuple[int, int]]:
    """Each gate's column range (start, stop) in kernel, recurrent_kernel and bias."""
    return {gate: (k * units, (k + 1) * units) for k, gate in enumerate(KERAS_GATE_ORDER)}


GATE_NAMES = {
    "i": "input gate",
    "f": "forget gate",
    "c": "cell candidate",
    "o": "output gate",
}

# Okabe–Ito colours. Of its seven hues, these four keep the largest smallest CIELAB
# distance between any two under simulated protan, deutan and tritan vision (yellow is
# left out: it vanishes as a line on white). i and c share the blue family on purpose:
# they are multiplied together into what is written to the cell.
GATE_COLOURS = {
    "i": "#0072B2",  # blue
    "f": "#D55E00",  # vermillion
    "c": "#56B4E9",  # sky blue
    "o": "#CC79A7",  # reddish purple
}

TEXT_COLOUR = "#1a1a1a"


def tint(colour: str, amount: float = 0.25) -> str:
    """`colour` mixed into white: an opaque fill that dark text stays readable on.

    Opaque rather than alpha, so a fill looks the same whatever it is drawn over.
    """
    mixed = [1 - amount * (1 - channel) for channel in to_rgb(colour)]
    return to_hex(mixed)


RC_PARAMS = {
    # An opaque white figure with dark text reads the same on Material's light and
    # dark (slate) themes; a transparent one would put dark text on a dark page.
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "axes.edgecolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    # Sizes chosen for a figure about 10 in wide shown in an ~800 px content column.
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs everywhere
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "mathtext.fontset": "dejavusans",
    "axes.spines.top": False,
    "axes.spines.right": False,
    # Text as paths: the SVG needs no font on the reader's machine and is byte-stable.
    "svg.fonttype": "path",
    # Fixed element ids, so two renders of one figure are byte-identical.
    "svg.hashsalt": "weight-atlas",
}
