"""b_hn sits inside r * (W_hn h + b_hn): moving it into b_in changes nn.GRU's output,
while b_hr and b_hz can move into b_ir and b_iz without changing anything."""
import copy

import torch

hidden_size = 5


def random_gru(seed):
    """An nn.GRU with random weights and biases, and random inputs for it."""
    torch.manual_seed(seed)
    gru = torch.nn.GRU(input_size=4, hidden_size=hidden_size, batch_first=True)
    with torch.no_grad():
        for parameter in gru.parameters():
            parameter.normal_()
    return gru, torch.randn(3, 6, 4)


gru, inputs = random_gru(seed=0)
blocks = {"r": 0, "z": 1, "n": 2}  # proven in snippets/pytorch/gru_gate_order.py


# --8<-- [start:fold]
def fold_into_bias_ih(gru, gate):
    """A copy of `gru` whose bias_hh block for `gate` moved into bias_ih."""
    folded = copy.deepcopy(gru)
    rows = slice(blocks[gate] * hidden_size, (blocks[gate] + 1) * hidden_size)
    with torch.no_grad():
        folded.bias_ih_l0[rows] += folded.bias_hh_l0[rows]
        folded.bias_hh_l0[rows] = 0
    return folded


def fold_errors(gru, inputs):
    """How far folding each gate's bias_hh block into bias_ih moves the output."""
    with torch.no_grad():
        all_h, _ = gru(inputs)
        moved = {gate: fold_into_bias_ih(gru, gate)(inputs)[0] - all_h
                 for gate in "rzn"}
    return {gate: change.abs().max().item() for gate, change in moved.items()}


max_error = fold_errors(gru, inputs)
assert max_error["r"] < 1e-6 and max_error["z"] < 1e-6
assert max_error["n"] > 1e-2
# --8<-- [end:fold]
