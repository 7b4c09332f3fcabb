"""Each array of PyTorch's recurrent layers and cells, biases and weight_hr included,
starts uniform on [-1/sqrt(hidden_size), 1/sqrt(hidden_size)], whatever input_size
and proj_size."""
import math
import warnings

import scipy.stats
import torch

# oneDNN builds run an LSTM with proj_size on their default path, and say so
warnings.filterwarnings("ignore", "LSTM with projections is not supported with oneDNN")
torch.manual_seed(0)
input_size, hidden_size, proj_size = 32, 64, 16  # three different fan-ins


# --8<-- [start:uniform]
def subclasses(base):  # read from torch.nn: nn.RNN, nn.LSTM, nn.GRU and their cells
    return [kind for kind in vars(torch.nn).values()
            if isinstance(kind, type) and issubclass(kind, base) and kind is not base]


kinds = subclasses(torch.nn.RNNBase) + subclasses(torch.nn.RNNCellBase)
modules = [kind(input_size, hidden_size) for kind in kinds]
modules.append(torch.nn.LSTM(input_size, hidden_size, proj_size=proj_size))
bound = 1 / math.sqrt(hidden_size)
tested = []
for module in modules:
    for name, array in module.named_parameters():
        values = array.detach().flatten().numpy()
        assert values.min() >= -bound and values.max() <= bound
        # uniform on the whole range: a Kolmogorov-Smirnov test against U(-bound, bound)
        fit = scipy.stats.kstest(values, "uniform", args=(-bound, 2 * bound))
        assert fit.pvalue > 1e-3, (type(module).__name__, name, fit)
        tested.append((type(module).__name__, name))
# --8<-- [end:uniform]
assert len(kinds) == 6 and len(tested) == 6 * 4 + 5
# Against a bound from input_size, weight_ih_l0's fan-in, the same test fails.
wide = 1 / math.sqrt(input_size)
weight_ih = modules[0].weight_ih_l0.detach().flatten().numpy()
assert scipy.stats.kstest(weight_ih, "uniform", args=(-wide, 2 * wide)).pvalue < 1e-6
