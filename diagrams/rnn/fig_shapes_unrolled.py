"""An LSTM unrolled over its timesteps, each arrow labelled with its tensor shape

The model readers declare as LSTM(4) on look_back = 3 timesteps of one feature, drawn twice:
with return_sequences=False the layer returns the last h only, with return_sequences=True
every h. Each shape is the one Keras reports for the hand-unrolled model of
snippets/rnn/shapes_unrolled.py, whose outputs match the layer's. The wide layout runs time
left to right; the narrow one (for phones) top to bottom, the inputs on the left and the
output on the right.
"""
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from diagrams._style import TEXT_COLOUR
from snippets.rnn import shapes_unrolled

LINE = "#333333"
CELL_FILL = "#eeeeee"
STATE_COLOUR = {"h": LINE, "c": "#6b6b6b"}  # c's wire is drawn dashed as well
MONO = "DejaVu Sans Mono"
C_Y, H_Y = 0.72, 0.28  # where the c and h wires cross a cell, as fractions of its breadth
# Per layout, in inches and points. `length` is a cell's extent along time, `breadth` across
# it; `slot` the room a state's label takes between two cells; `through` where along a cell x_t
# enters and h_t leaves for the output (the narrow layout's x_t label, over its arrow, clear of
# the h label over it). A state's label has a
# subscript drawn at 0.7 of its size: `label` keeps that at least 11 px on a desktop (wide) and
# 9 px on a phone (narrow) where the figure is shown, like every other size.
SIZES = {
    "wide": {"time_down": False, "length": 1.0, "breadth": 1.0, "slot": 1.05,
             "through": 0.5, "x_from": -1.0, "inputs": -1.55, "output": 2.05, "bar": 0.44,
             "label": 12.4, "code": 11, "small": 9.5, "title": 13, "panel_gap": 0.5},
    "narrow": {"time_down": True, "length": 0.78, "breadth": 1.0, "slot": 0.78,
               "through": 0.7, "x_from": -0.98, "inputs": -1.19, "output": 1.84, "bar": 0.22,
               "label": 11.5, "code": 10.5, "small": 9.5, "title": 12, "panel_gap": 0.3},
}


@dataclass(frozen=True)
class Frame:
    """Where a panel's time runs: across the page (wide) or down it (narrow). u counts along
    time and v across it, the inputs at negative v, both in inches from `origin`."""

    origin: tuple[float, float]
    time_down: bool

    def xy(self, u, v):
        x, y = self.origin
        return (x + v, y - u) if self.time_down else (x + u, y + v)

    def text(self, ax, u, v, text, du=0, dv=0, gap=0.0, **font):
        """`text` beside (u, v), lying towards (du, dv) from it (each -1, 0 or 1), `gap`
        points away."""
        dx, dy = (dv, -du) if self.time_down else (du, dv)
        ax.annotate(text, self.xy(u, v), xytext=(gap * dx, gap * dy),
                    textcoords="offset points", ha=("right", "center", "left")[dx + 1],
                    va=("top", "center", "bottom")[dy + 1], zorder=4, **font)

    def box(self, ax, u0, u1, v0, v1, **style):
        (x0, y0), (x1, y1) = self.xy(u0, v0), self.xy(u1, v1)
        ax.add_patch(FancyBboxPatch((min(x0, x1), min(y0, y1)), abs(x1 - x0), abs(y1 - y0),
                                    zorder=3, **style))


def shape_text(shape) -> str:
    return "(" + ", ".join(str(size) for size in shape) + ("," if len(shape) == 1 else "") + ")"


def arrow(ax, frame, start, end, colour=LINE, dashed=False):
    ax.add_patch(FancyArrowPatch(frame.xy(*start), frame.xy(*end), arrowstyle="-|>",
                                 mutation_scale=14, color=colour, linewidth=1.6,
                                 linestyle=(0, (4, 2)) if dashed else "-", shrinkA=0, shrinkB=0,
                                 zorder=2))


def bar(ax, frame, u0, u1, v, breadth, text=None, size=None):
    """A bar across the cells at `v`, `text` inside it (if given)."""
    frame.box(ax, u0, u1, v - breadth / 2, v + breadth / 2,
              boxstyle="round,pad=0,rounding_size=0.06", facecolor="white", edgecolor=LINE,
              linewidth=1.4)
    if text is not None:
        frame.text(ax, (u0 + u1) / 2, v, text, family=MONO, size=size)


def state_label(ax, frame, u, v, name, t, shape, size, towards):
    """`h_t` over `(None, 4)` beside a state wire: the symbol, then the shape Keras reports."""
    frame.text(ax, u, v, rf"${name}_{t}$" + "\n" + shape_text(shape), dv=towards, gap=5,
               size=size, family=MONO, color=STATE_COLOUR[name], linespacing=1.15,
               multialignment="center")


def panel(ax, frame, return_sequences, shapes, sizes):
    """One setting of return_sequences, drawn in `frame`: time from u=0, a cell's inputs side
    at v=0."""
    timesteps = len(shapes["x_t"])
    length, breadth, slot = sizes["length"], sizes["breadth"], sizes["slot"]
    lefts = [slot + t * (length + slot) for t in range(timesteps)]
    right_end = lefts[-1] + length
    wire_end = right_end + slot
    label, code = sizes["label"], {"family": MONO, "size": sizes["code"]}
    wires = {"c": C_Y * breadth, "h": H_Y * breadth}
    towards = {"c": 1, "h": -1}  # c's label on the output side of its wire, h's on the inputs'

    # The initial state enters before the first cell: zeros unless initial_state= is passed.
    h_0, c_0 = shapes["initial"]
    for name, shape in (("c", c_0), ("h", h_0)):
        arrow(ax, frame, (0, wires[name]), (lefts[0], wires[name]), STATE_COLOUR[name],
              dashed=name == "c")
        state_label(ax, frame, lefts[0] / 2, wires[name], name, 0, shape, label, towards[name])

    for t, left in enumerate(lefts, start=1):
        centre, through = left + length / 2, left + sizes["through"] * length
        frame.box(ax, left, left + length, 0, breadth, boxstyle="round,pad=0,rounding_size=0.1",
                  facecolor=CELL_FILL, edgecolor=LINE, linewidth=1.8)
        middle = frame.xy(centre, breadth / 2)
        ax.annotate("lstm.cell", middle, xytext=(0, 0.55 * sizes["code"]),
                    textcoords="offset points", ha="center", va="center", zorder=4, **code)
        ax.annotate("same weights", middle, xytext=(0, -0.6 * sizes["small"]),
                    textcoords="offset points", ha="center", va="center", zorder=4,
                    size=sizes["small"], color=TEXT_COLOUR)
        # x_t comes in from its slice of the inputs.
        arrow(ax, frame, (through, sizes["x_from"]), (through, 0))
        frame.text(ax, through, sizes["x_from"] / 2,
                   rf"$x_{t}$" + "\n" + shape_text(shapes["x_t"][t - 1]), du=-1, gap=6,
                   size=label, family=MONO, linespacing=1.15, multialignment="center")
        # h_t and c_t leave the cell: into the next step, or out of the layer.
        end = left + length + slot if t < timesteps else wire_end
        for name, v in wires.items():
            arrow(ax, frame, (left + length, v), (end, v), STATE_COLOUR[name],
                  dashed=name == "c")
            state_label(ax, frame, (left + length + end) / 2, v, name, t,
                        shapes[f"{name}_t"][t - 1], label, towards[name])
        if return_sequences:  # every h_t goes into the output
            arrow(ax, frame, (through, breadth), (through, sizes["output"] - sizes["bar"] / 2))

    if not return_sequences:  # only the last h_t is returned: it *is* the output
        last = lefts[-1] + sizes["through"] * length
        arrow(ax, frame, (last, breadth), (last, sizes["output"] - sizes["bar"] / 2))
    inputs = f"inputs {shape_text(shapes['inputs'])}:", "(batch, timesteps, features)"
    output = (f"output {shape_text(shapes['output'][return_sequences])}:",
              "every h_t, stacked on axis 1" if return_sequences else "the last h_t only")
    note = "returned too with\nreturn_state=True"
    title = {"text": f"return_sequences={return_sequences}", "weight": "bold",
             "size": sizes["title"], "family": MONO}
    if frame.time_down:
        # Narrow: thin bars, each named above its start; the title above both names, the
        # note under the wires' ends.
        lines = 2 * sizes["code"] * 1.3 / 72  # a name's height, in inches
        output_top = -0.08
        inputs_top = output_top - lines - 0.08
        bar(ax, frame, output_top, right_end, sizes["output"], sizes["bar"])
        bar(ax, frame, inputs_top, right_end, sizes["inputs"], sizes["bar"])
        frame.text(ax, output_top, sizes["output"] + sizes["bar"] / 2, "\n".join(output),
                   du=-1, dv=-1, gap=2, **code)
        frame.text(ax, inputs_top, sizes["inputs"] - sizes["bar"] / 2, "\n".join(inputs),
                   du=-1, dv=1, gap=2, **code)
        frame.text(ax, inputs_top - lines - 0.1, sizes["inputs"] - sizes["bar"] / 2, du=-1,
                   dv=1, **title)
        frame.text(ax, wire_end, breadth / 2, note, du=1, gap=4, size=sizes["small"],
                   multialignment="center")
        return
    # Wide: bars named inside, along the cells; the title above the output, the note under
    # the wires' ends.
    bar(ax, frame, lefts[0], right_end, sizes["inputs"], sizes["bar"], " ".join(inputs),
        sizes["code"])
    bar(ax, frame, lefts[0], right_end, sizes["output"], sizes["bar"], " ".join(output),
        sizes["code"])
    frame.text(ax, 0, sizes["output"] + 0.55, dv=0, du=1, **title)
    frame.text(ax, wire_end, -0.4, note, du=-1, dv=-1, size=sizes["small"],
               multialignment="right")


def make_figure(layout: str) -> Figure:
    sizes = SIZES[layout]
    shapes = shapes_unrolled.shapes
    timesteps, units = shapes_unrolled.look_back, shapes_unrolled.units
    # What the figure draws is what Keras reports for the real models.
    assert len(shapes["x_t"]) == len(shapes["h_t"]) == len(shapes["c_t"]) == timesteps
    assert shapes["output"][False] == shapes["h_t"][-1] == (None, units)
    assert shapes["output"][True] == (None, timesteps, units)
    assert shapes["inputs"] == (None, timesteps, shapes["x_t"][0][-1])

    # A panel's extent along time and across it, in inches: the bars and the title bound it.
    along = sizes["slot"] + timesteps * (sizes["length"] + sizes["slot"])
    first = sizes["inputs"] - sizes["bar"] / 2 - 0.05
    last = sizes["output"] + sizes["bar"] / 2 + 0.05
    if sizes["time_down"]:
        head = 2 * (2 * sizes["code"] * 1.3 / 72 + 0.08) + 0.15 + sizes["title"] * 1.4 / 72
        width, panel_height = last - first, head + along + 0.45 + 2 * sizes["small"] * 1.3 / 72
        origins = [(-first, -head - row * (panel_height + sizes["panel_gap"]))
                   for row in range(2)]
    else:
        width, panel_height = along + 0.05, last - first + 0.45
        origins = [(0.05, -(last + 0.45) - row * (panel_height + sizes["panel_gap"]))
                   for row in range(2)]
    height = 2 * panel_height + sizes["panel_gap"]
    figure = Figure(figsize=(width, height))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    for origin, return_sequences in zip(origins, (False, True)):
        panel(ax, Frame(origin, sizes["time_down"]), return_sequences, shapes, sizes)
    return figure
