"""kernel and recurrent_kernel as matrices, split into gate blocks

The reader's LSTM layer stores each weight as one matrix whose columns hold the four
gates side by side, as blocks 0–3 in the order the gate-order proof accepts. Shading
inside each block is the layer's actual initial values. Each matrix's name and what its
rows are sit above it; the gates' names and column ranges once, above all three.
"""
import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.offsetbox import AnnotationBbox, HPacker, TextArea
from matplotlib.patches import Rectangle

from diagrams._proof import accepted
from diagrams._style import GATE_COLOURS, tint
from facts._lstm import GATE_NAMES  # checked against the equations the build runs
from snippets.lstm import gate_order, reader_model

NOTE_COLOUR = "#444444"
MONO = "DejaVu Sans Mono"
# A few shades are enough to show the values' texture, and keep the embedded images of
# 120 × 480 random numbers small: PNG compresses noise of few levels far better.
SHADES = 5
# recurrent_kernel is drawn with square cells; kernel (5 rows) and bias (1 row) would be
# slivers at that scale, so they are drawn taller, by the same factors in every layout.
KERNEL_HEIGHT, BIAS_HEIGHT = 0.096, 0.055  # fractions of the matrices' width


@dataclass(frozen=True)
class Look:
    """One layout: the matrices' width in inches, lettering in points, line lengths in
    characters (None: one line)."""
    width: float
    name: float  # "kernel (5, 480)", above its matrix
    header: float  # "block 0" and the gate's name, above the top matrix
    note: float  # what the rows are, the column ranges, the notes under the figure
    symbol: float  # W_i in a block (its subscript is smaller)
    shape: float  # the block's shape beside its symbol
    header_wrap: int | None
    note_wrap: int | None


# Both are shown unshrunk or nearly so: the wide one fits a desktop's 688 px column, the
# narrow one a phone's 358 px with little shrinking, its type large against its width.
LOOKS = {
    "wide": Look(6.85, name=13, header=12, note=11, symbol=13, shape=13, header_wrap=None,
                 note_wrap=88),
    "narrow": Look(4.3, name=10.5, header=10, note=9, symbol=12.5, shape=9, header_wrap=10,
                   note_wrap=60),
}


def gate_columns(order, units):
    """Each gate's column range (start, stop): block k of `order` holds columns k·units on."""
    return {gate: (k * units, (k + 1) * units) for k, gate in enumerate(order)}


def gate_colour_map(gate):
    """Pale to strong in the gate's own hue: the values read as shades of the block."""
    return LinearSegmentedColormap.from_list(
        f"values_{gate}", [tint(GATE_COLOURS[gate], 0.08), tint(GATE_COLOURS[gate], 0.75)],
        N=SHADES,
    )


def block_label(symbol, gate, block):
    """(`$W_i$`, `(5, 120)`); a block holding a single value everywhere also says which."""
    shape = str(block.shape)
    if np.all(block == block.flat[0]):
        shape += f"  all {block.flat[0]:g}"
    return rf"${symbol}_{gate}$", shape


def draw_matrix(ax, values, symbol, columns, look):
    """One weight matrix: each gate block shaded by its values, outlined, labelled.

    `values` may be 1-D (bias): it is drawn as a single row but labelled with its own shape.
    """
    grid = np.atleast_2d(values)
    rows = grid.shape[0]
    norm = Normalize(values.min(), values.max())  # one scale per matrix: blocks compare
    for gate, (start, stop) in columns.items():
        ax.imshow(grid[:, start:stop], extent=(start, stop, rows, 0), norm=norm,
                  cmap=gate_colour_map(gate), aspect="auto", interpolation="nearest")
        ax.add_patch(Rectangle((start, 0), stop - start, rows, fill=False,
                               edgecolor=GATE_COLOURS[gate], linewidth=2.5))
        # The symbol and the shape side by side, each at its own size, centred on the block.
        name, shape = block_label(symbol, gate, values[..., start:stop])
        label = HPacker(children=[TextArea(name, textprops={"fontsize": look.symbol}),
                                  TextArea(shape, textprops={"fontsize": look.shape})],
                        align="baseline", pad=0, sep=0.35 * look.shape)
        ax.add_artist(AnnotationBbox(
            label, ((start + stop) / 2, rows / 2), frameon=True, pad=0.2,
            bboxprops={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.85,
                       "edgecolor": "none"}))
    ax.set_xlim(0, grid.shape[1])
    ax.set_ylim(rows, 0)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def phrases_in_lines(phrases, width):
    """The phrases joined into lines of at most `width` characters where they fit."""
    lines = [phrases[0]]
    for phrase in phrases[1:]:
        if width is None or len(lines[-1]) + 1 + len(phrase) <= width:
            lines[-1] += " " + phrase
        else:
            lines.append(phrase)
    return "\n".join(lines)


def words_in_lines(text, width):
    """`text` broken between words into lines of at most `width` characters (None: as is)."""
    if width is None:
        return text
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


LINE_SPACING = 1.2  # matplotlib's default: a line takes 1.2 × its font size


def text_row(texts, xs, props, ha="left"):
    """(height, draw) of a row of texts at `xs` (fractions of the width), their last lines on
    one baseline: each draw(figure, top) puts the row `top` inches below the figure's top."""
    lines = max(text.count("\n") + 1 for text in texts)
    step = LINE_SPACING * props["fontsize"] / 72

    def draw(figure, top):
        baseline = top + (lines - 1) * step + 0.8 * props["fontsize"] / 72  # ascent: 0.8 em
        for text, x in zip(texts, xs):
            figure.text(x, 1 - baseline / figure.get_figheight(), text, ha=ha, va="baseline",
                        linespacing=LINE_SPACING, **props)
    return lines * step, draw


def space(height):
    return height, lambda figure, top: None


def matrix_row(height, values, symbol, columns, look):
    def draw(figure, top):
        figure_height = figure.get_figheight()
        ax = figure.add_axes((0, 1 - (top + height) / figure_height, 1, height / figure_height))
        draw_matrix(ax, values, symbol, columns, look)
    return height, draw


def make_figure(layout: str) -> Figure:
    kernel, recurrent_kernel, bias = (
        reader_model.kernel, reader_model.recurrent_kernel, reader_model.bias)
    units, input_dim = reader_model.units, reader_model.input_dim
    order = gate_order.proven_order  # the one order the 24-permutation proof accepts
    columns = gate_columns(accepted(order, gate_order), units)  # what the labels say
    width = len(order) * units  # 4·units columns in every matrix
    assert kernel.shape == (input_dim, width)
    assert recurrent_kernel.shape == (units, width) and bias.shape == (width,)
    # unit_forget_bias: the initial bias is ones in the forget block, zeros elsewhere. The
    # ones must sit under the block this figure labels f, and no other block is all ones.
    for gate, (start, stop) in columns.items():
        assert np.all(bias[start:stop] == 1) == (gate == "f"), (gate, start, stop)

    look = LOOKS[layout]
    name_font = {"fontsize": look.name, "family": MONO, "weight": "bold"}
    note_font = {"fontsize": look.note, "color": NOTE_COLOUR}
    kernel_height, bias_height = KERNEL_HEIGHT * look.width, BIAS_HEIGHT * look.width
    kernel_scale = kernel_height / (look.width * input_dim / width)
    bias_scale = bias_height / (look.width / width)

    # Top down: gate names and column ranges once, above the top matrix (all three share
    # them); then each matrix under its name and what its rows are; then the notes.
    middles = [(start + stop) / 2 / width for start, stop in columns.values()]
    blocks = list(enumerate(columns.items()))
    gap = space(0.12)
    rows = [
        text_row([f"block {block}" for block, _ in blocks], middles,
                 {"fontsize": look.header}, ha="center"),
        text_row([words_in_lines(f"{gate} · {GATE_NAMES[gate]}", look.header_wrap)
                  for _, (gate, _) in blocks], middles,
                 {"fontsize": look.header, "weight": "bold"}, ha="center"),
        text_row([words_in_lines(f"columns {start}:{stop}", look.header_wrap)
                  for _, (_, (start, stop)) in blocks], middles,
                 {"fontsize": look.note, "family": MONO}, ha="center"),
    ]
    for values, symbol, name, rows_text, height in (
            (kernel, "W", "kernel", f"rows: input features (input_dim = {input_dim})",
             kernel_height),
            (recurrent_kernel, "U", "recurrent_kernel",
             f"rows: previous hidden state (units = {units})",
             look.width * units / width),  # square cells: to scale
            (bias, "b", "bias", None, bias_height)):
        rows += [gap, gap, text_row([f"{name} {values.shape}"], [0], name_font)]
        if rows_text:
            rows.append(text_row([rows_text], [0], note_font))
        rows += [space(0.06), matrix_row(height, values, symbol, columns, look)]
    notes = [
        [f"All three have 4·units = {width} columns:",
         f"blocks 0–3 are gates {', '.join(order)}, the proven order."],
        ["Heights: recurrent_kernel is to scale;",
         f"kernel is drawn {kernel_scale:.0f}× and bias {bias_scale:.0f}× taller "
         "so they stay visible."],
        ["Shading: the layer's initial values, darker = larger."],
    ]
    rows += [gap, gap, text_row(
        ["\n".join(phrases_in_lines(note, look.note_wrap) for note in notes)], [0], note_font)]

    figure = Figure(figsize=(look.width, sum(height for height, _ in rows)))
    top = 0.0
    for height, draw in rows:
        draw(figure, top)
        top += height
    return figure
