"""The two momentum conventions, each proven by one training step re-computed with
NumPy: Keras keeps `momentum` of the old moving statistic, PyTorch takes `momentum` of
the batch's. So PyTorch's momentum is 1 - Keras' momentum. Keras updates moving_variance
with the biased batch variance (divided by n), PyTorch updates running_var with the
unbiased one (divided by n - 1)."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(loc=1.0, scale=2.0, size=(8, 5, 5, 3)).astype("float32")
old_mean = rng.normal(size=3).astype("float32")  # the statistics before the step
old_variance = rng.uniform(0.5, 2.0, size=3).astype("float32")
mean = x.mean(axis=(0, 1, 2))  # the batch's, over every axis but the channels'
biased = x.var(axis=(0, 1, 2))  # divided by n
unbiased = x.var(axis=(0, 1, 2), ddof=1)  # divided by n - 1

# --8<-- [start:keras]
batch_norm = keras.layers.BatchNormalization()
batch_norm.build(x.shape)
batch_norm.moving_mean.assign(old_mean)
batch_norm.moving_variance.assign(old_variance)
batch_norm(x, training=True)  # one training step
moving_mean = np.asarray(batch_norm.moving_mean)
moving_variance = np.asarray(batch_norm.moving_variance)

momentum = batch_norm.momentum  # 0.99: the share of the old value
np.testing.assert_allclose(moving_mean, old_mean * momentum + mean * (1 - momentum),
                           atol=1e-6)
np.testing.assert_allclose(moving_variance,
                           old_variance * momentum + biased * (1 - momentum), atol=1e-6)
# --8<-- [end:keras]
keras_momentum = momentum
assert keras_momentum == 0.99

# --8<-- [start:torch]
torch_norm = torch.nn.BatchNorm2d(num_features=3)
with torch.no_grad():
    torch_norm.running_mean.copy_(torch.from_numpy(old_mean))
    torch_norm.running_var.copy_(torch.from_numpy(old_variance))
    torch_norm(torch.from_numpy(x).permute(0, 3, 1, 2))  # one step in train() mode
running_mean = torch_norm.running_mean.numpy()
running_var = torch_norm.running_var.numpy()

momentum = torch_norm.momentum  # 0.1: the share of the batch
np.testing.assert_allclose(running_mean, (1 - momentum) * old_mean + momentum * mean,
                           atol=1e-6)
np.testing.assert_allclose(running_var,
                           (1 - momentum) * old_variance + momentum * unbiased,
                           atol=1e-6)
# --8<-- [end:torch]
torch_momentum = momentum
assert torch_momentum == 0.1 and int(torch_norm.num_batches_tracked) == 1
# Either variance alone: the other one misses by far more than the tolerance.
keras_with_unbiased = old_variance * keras_momentum + unbiased * (1 - keras_momentum)
torch_with_biased = (1 - torch_momentum) * old_variance + torch_momentum * biased
assert np.abs(moving_variance - keras_with_unbiased).min() > 1e-4
assert np.abs(running_var - torch_with_biased).min() > 1e-3
