"""The look every figure shares: gate colours and matplotlib settings.

Only looks live here. What a figure draws (shapes, the gate order, column ranges) comes
from the code that proves it: the gate order is `snippets.lstm.gate_order.proven_order`,
the gate names `facts._lstm.GATE_NAMES` (checked against the equations the build runs).
The renderer applies `RC_PARAMS` before it imports a figure script; scripts import the
names below and never set rcParams themselves.
"""
from matplotlib.colors import to_hex, to_rgb

# Okabe–Ito colours (black is left to the wires), one per gate and each a different
# hue, so no two gates read as shades of one colour: yellow is out (it vanishes as a
# line on white), sky blue is out (a second blue beside blue), orange is out (a second
# orange beside vermillion). Simulated with colorspacious (CAM02-UCS, severity 100),
# every pair of these four stays at least 14 ΔE' apart under protanopia and
# deuteranopia, 11.7 under tritanopia and 31 in normal vision; as lines on white each
# keeps at least 3:1 contrast.
GATE_COLOURS = {
    "i": "#0072B2",  # blue
    "f": "#D55E00",  # vermillion
    "c": "#009E73",  # bluish green
    "o": "#CC79A7",  # reddish purple
}
# PyTorch calls the LSTM's candidate g; a GRU's gates reuse three of the colours above
# (within one layer they stay distinct), its candidate one colour under both its names
# (Keras h, PyTorch n), the same as the LSTM's candidate.
GATE_COLOURS |= {"g": GATE_COLOURS["c"], "z": GATE_COLOURS["i"], "r": GATE_COLOURS["f"],
                 "h": GATE_COLOURS["c"], "n": GATE_COLOURS["c"]}
NO_GATE_COLOUR = "#555555"  # a SimpleRNN's single block: no gates

TEXT_COLOUR = "#1a1a1a"

# A figure too wide to read on a phone is drawn twice: `make_figure(layout)` is called with
# each of these (engine/_render_one.py), and a phone is served the narrow one. Where each is
# shown and how large its lettering must be there: tests/lettering.py (`python -m
# tests.lettering SCRIPT` measures a script's figures).
LAYOUTS = ("wide", "narrow")


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
    # Lettering as real text: it can be selected, searched and read aloud. The renderer
    # names fallback fonts for readers without DejaVu.
    "svg.fonttype": "none",
    # Fixed element ids, so two renders of one figure are byte-identical.
    "svg.hashsalt": "weight-atlas",
}
