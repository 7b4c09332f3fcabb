"""Biased and unbiased variance. In training, both libraries normalise a batch with its
biased variance (divided by n). With the momenta matched, one training step leaves
moving_mean and running_mean equal, but running_var above moving_variance by
momentum * variance / (n - 1): PyTorch updates it with the unbiased variance. Step after
step the gap stays: no option of either library removes it."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(1.0, 2.0, size=(8, 5, 5, 3)).astype("float32")
mean, biased, unbiased = x.mean((0, 1, 2)), x.var((0, 1, 2)), x.var((0, 1, 2), ddof=1)

# --8<-- [start:normalise]
batch_norm = keras.layers.BatchNormalization(epsilon=1e-5)
torch_norm = torch.nn.BatchNorm2d(num_features=3, eps=1e-5)
keras_output = np.asarray(batch_norm(x, training=True))
with torch.no_grad():
    torch_output = torch_norm(torch.from_numpy(x).permute(0, 3, 1, 2))
torch_output = torch_output.permute(0, 2, 3, 1).numpy()

by_hand = (x - mean) / np.sqrt(biased + 1e-5)  # biased: divided by n
np.testing.assert_allclose(keras_output, by_hand, atol=1e-5)
np.testing.assert_allclose(torch_output, by_hand, atol=1e-5)
# --8<-- [end:normalise]
with_unbiased = (x - mean) / np.sqrt(unbiased + 1e-5)
unbiased_miss = float(np.abs(keras_output - with_unbiased).max())
assert unbiased_miss > 1e-3

# --8<-- [start:matched]
batch_norm = keras.layers.BatchNormalization()  # momentum=0.99
torch_norm = torch.nn.BatchNorm2d(num_features=3, momentum=1 - batch_norm.momentum)
batch_norm(x, training=True)  # one training step each, from the initial statistics
with torch.no_grad():
    torch_norm(torch.from_numpy(x).permute(0, 3, 1, 2))
moving_mean = np.asarray(batch_norm.moving_mean)
moving_variance = np.asarray(batch_norm.moving_variance)
np.testing.assert_allclose(torch_norm.running_mean.numpy(), moving_mean, atol=1e-6)

n = x.shape[0] * x.shape[1] * x.shape[2]  # 200 values per channel
gap = torch_norm.running_var.numpy() - moving_variance
np.testing.assert_allclose(gap, torch_norm.momentum * biased / (n - 1), atol=1e-6)
# --8<-- [end:matched]
assert n == 200 and gap.min() > 1e-4
keras_momentum, matched_momentum = batch_norm.momentum, torch_norm.momentum
assert np.isclose(keras_momentum + matched_momentum, 1.0)
# From the initial state (a variance of 1), at the defaults, exactly: moving_variance is
# 0.99 + 0.01 * biased in Keras, running_var 0.9 + 0.1 * unbiased in PyTorch.
from_initial = keras.layers.BatchNormalization()
from_initial(x, training=True)
default_torch = torch.nn.BatchNorm2d(num_features=3)
with torch.no_grad():
    default_torch(torch.from_numpy(x).permute(0, 3, 1, 2))
np.testing.assert_allclose(np.asarray(from_initial.moving_variance),
                           0.99 + 0.01 * biased, atol=1e-6)
np.testing.assert_allclose(default_torch.running_var.numpy(), 0.9 + 0.1 * unbiased,
                           atol=1e-6)


# --8<-- [start:steps]
def variance_gap(seed: int, steps: int = 20) -> float:
    """How far running_var ends above moving_variance, in the channel where they are
    closest, after `steps` training steps on the same batches, momenta matched."""
    batches = np.random.default_rng(seed).normal(1.0, 2.0, size=(steps, 8, 5, 5, 3))
    keras_norm = keras.layers.BatchNormalization()
    torch_norm = torch.nn.BatchNorm2d(3, momentum=1 - keras_norm.momentum)
    for batch in batches.astype("float32"):
        keras_norm(batch, training=True)
        with torch.no_grad():
            torch_norm(torch.from_numpy(batch).permute(0, 3, 1, 2))
    running_var = torch_norm.running_var.numpy()
    return float((running_var - np.asarray(keras_norm.moving_variance)).min())


assert variance_gap(seed=0) > 1e-3
# --8<-- [end:steps]
steps = variance_gap.__defaults__[0]
