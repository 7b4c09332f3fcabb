"""Where a BatchNormalization layer's numbers live: Keras keeps four arrays of one entry
per channel, gamma and beta trained, moving_mean and moving_variance not, and counts all
four; nn.BatchNorm2d keeps two parameters, weight and bias, and three buffers,
running_mean, running_var and num_batches_tracked (an int64 scalar), and counts the
parameters only. The copy pairs them one to one, with eps set to Keras' epsilon."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# --8<-- [start:arrays]
batch_norm = keras.layers.BatchNormalization()  # axis=-1: the channels come last
batch_norm.build((None, 5, 5, 3))  # 3 channels
for variable in batch_norm.weights:
    print(variable.name, variable.shape, variable.trainable)
# gamma (3,) True / beta (3,) True / moving_mean (3,) False / moving_variance (3,) False
print(batch_norm.count_params())  # 12: all four arrays

torch_norm = torch.nn.BatchNorm2d(num_features=3)
for name, parameter in torch_norm.named_parameters():
    print(name, tuple(parameter.shape))  # weight (3,) / bias (3,)
for name, buffer in torch_norm.named_buffers():
    print(name, tuple(buffer.shape), buffer.dtype)
# running_mean (3,) float32 / running_var (3,) float32 / num_batches_tracked () int64
print(sum(p.numel() for p in torch_norm.parameters()))  # 6: buffers are not counted
# --8<-- [end:arrays]
keras_arrays = {v.name: (tuple(v.shape), v.trainable) for v in batch_norm.weights}
assert keras_arrays == {"gamma": ((3,), True), "beta": ((3,), True),
                        "moving_mean": ((3,), False), "moving_variance": ((3,), False)}
channels = batch_norm.gamma.shape[0]
keras_count = batch_norm.count_params()
keras_trainable_count = sum(int(np.prod(v.shape)) for v in batch_norm.trainable_weights)
assert keras_count == 4 * channels == 12 and keras_trainable_count == 2 * channels == 6
torch_parameters = {name: tuple(p.shape) for name, p in torch_norm.named_parameters()}
torch_buffers = {name: (tuple(b.shape), str(b.dtype).removeprefix("torch."))
                 for name, b in torch_norm.named_buffers()}
assert torch_parameters == {"weight": (3,), "bias": (3,)}
assert torch_buffers == {"running_mean": ((3,), "float32"),
                         "running_var": ((3,), "float32"),
                         "num_batches_tracked": ((), "int64")}
torch_count = sum(p.numel() for p in torch_norm.parameters())
assert torch_count == 2 * channels == keras_trainable_count

# --8<-- [start:copy]
gamma, beta, moving_mean = rng.normal(size=(3, 3)).astype("float32")
moving_variance = rng.uniform(0.5, 2.0, size=3).astype("float32")
batch_norm.set_weights([gamma, beta, moving_mean, moving_variance])

torch_norm = torch.nn.BatchNorm2d(num_features=3, eps=batch_norm.epsilon)
torch_norm.load_state_dict({  # num_batches_tracked may be left out: it stays 0
    "weight": torch.from_numpy(gamma), "bias": torch.from_numpy(beta),
    "running_mean": torch.from_numpy(moving_mean),
    "running_var": torch.from_numpy(moving_variance),
})
torch_norm.eval()  # the running statistics, as Keras outside training

x = rng.normal(size=(8, 5, 5, 3)).astype("float32")  # (batch, height, width, channels)
keras_output = np.asarray(batch_norm(x, training=False))
with torch.no_grad():
    channels_first = torch.from_numpy(x).permute(0, 3, 1, 2)  # (8, 3, 5, 5)
    torch_output = torch_norm(channels_first).permute(0, 2, 3, 1).numpy()
np.testing.assert_allclose(torch_output, keras_output, atol=1e-6)
# --8<-- [end:copy]
copy_difference = float(np.abs(torch_output - keras_output).max())
assert copy_difference < 1e-6
# Which PyTorch entry holds which Keras array, read back from both after the copy.
copied = {name: value.numpy() for name, value in torch_norm.state_dict().items()}
keras_values = {v.name: np.asarray(v) for v in batch_norm.weights}
assert int(copied["num_batches_tracked"]) == 0
