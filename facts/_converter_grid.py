"""The grid of layers the converter is tested on: tests/test_converters.py runs it, and the
convert page's facts describe it, so both read it from here (a renderer never imports tests).

Which code path the converter takes depends on: the kind (block order and bias rule), bias
on or off, one or two directions (Bidirectional, the _reverse names), the layer's place in a
stack (layer 0 reads the input, later layers the layer before: 1 to 3 layers), batch_first,
and for SimpleRNN its nonlinearity. The sizes and the number of timesteps change no path but
catch a transpose or slice that only works when sizes coincide, or a sequence of one step.
So every (kind, directions, num_layers) structure runs, and the other options rotate through
them so that each kind meets every value of each option; the tests check that.
"""
import itertools

TOLERANCE = 1e-5  # float32, outputs and final states alike
SIZES = [(1, 1), (3, 2), (2, 5), (4, 3)]  # (input_size, hidden_size)


def grid() -> list[tuple[str, dict]]:
    """[(id, case)] for every (kind, directions, num_layers)."""
    cases = []
    # The options rotate by parity and by position: which parity turns an option on is
    # arbitrary (either covers every value), so it is written as an index, not a test.
    for position, (kind, bidirectional, num_layers) in enumerate(
        itertools.product(("SimpleRNN", "LSTM", "GRU"), (False, True), (1, 2, 3))
    ):
        directions = 1 + bidirectional
        input_size, hidden_size = SIZES[position % len(SIZES)]
        case = dict(
            kind=kind,
            bidirectional=bidirectional,
            num_layers=num_layers,
            bias=(True, False)[(directions + num_layers) % 2],
            batch_first=(True, False)[(position + num_layers) % 2],
            timesteps=(1, 6, 6)[(position + directions) % 3],
            input_size=input_size,
            hidden_size=hidden_size,
            nonlinearity=("relu", "tanh", "relu")[num_layers - 1] if kind == "SimpleRNN"
            else "tanh",
        )
        cases.append((f"{kind}-{directions}dir-{num_layers}layers", case))
    return cases
