"""Training and inference. Keras: layer(x, training=True) normalises with the batch's
statistics and updates the moving ones; training=False uses the moving ones; a
BatchNormalization with trainable=False runs in inference mode even with training=True.
PyTorch: train() and eval() choose; requires_grad_(False) freezes weight and bias but
leaves the mode, so the module still normalises with the batch and updates running_mean
and running_var."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(1.0, 2.0, size=(8, 5, 5, 3)).astype("float32")
channels_first = torch.from_numpy(x).permute(0, 3, 1, 2)


def normalised(x, mean, variance, eps=1e-3):
    return (x - mean) / np.sqrt(variance + eps)


batch = (x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2)))  # the batch's statistics
initial = (np.zeros(3), np.ones(3))  # moving_mean and moving_variance before training

# --8<-- [start:keras]
batch_norm = keras.layers.BatchNormalization()
training_output = np.asarray(batch_norm(x, training=True))
np.testing.assert_allclose(training_output, normalised(x, *batch), atol=1e-5)
assert np.abs(np.asarray(batch_norm.moving_mean)).min() > 1e-3  # updated

frozen = keras.layers.BatchNormalization()
frozen.build(x.shape)
frozen.trainable = False  # inference mode, even with training=True
frozen_output = np.asarray(frozen(x, training=True))
inference_output = np.asarray(frozen(x, training=False))
np.testing.assert_allclose(frozen_output, inference_output, atol=1e-6)
np.testing.assert_allclose(frozen_output, normalised(x, *initial), atol=1e-5)
np.testing.assert_array_equal(np.asarray(frozen.moving_mean), initial[0])  # not updated
# --8<-- [end:keras]
keras_updates = bool(np.abs(np.asarray(batch_norm.moving_mean)).min() > 0)
frozen_updates = bool(np.asarray(frozen.moving_mean).any())
frozen_mode = ("inference" if np.abs(frozen_output - training_output).max() > 0.1
               else "training")
assert keras_updates and not frozen_updates and frozen_mode == "inference"

# --8<-- [start:torch]
torch_norm = torch.nn.BatchNorm2d(num_features=3, eps=1e-3)
torch_norm.requires_grad_(False)  # weight and bias frozen
assert torch_norm.training  # still in train() mode
with torch.no_grad():
    train_output = torch_norm(channels_first).permute(0, 2, 3, 1).numpy()
np.testing.assert_allclose(train_output, normalised(x, *batch), atol=1e-5)
assert torch_norm.running_mean.abs().min() > 1e-3  # updated

torch_norm.eval()  # the running statistics, no update
running_mean = torch_norm.running_mean.clone()
with torch.no_grad():
    eval_output = torch_norm(channels_first).permute(0, 2, 3, 1).numpy()
running = (running_mean.numpy(), torch_norm.running_var.numpy())
np.testing.assert_allclose(eval_output, normalised(x, *running), atol=1e-5)
torch.testing.assert_close(torch_norm.running_mean, running_mean, rtol=0, atol=0)

model = torch.nn.Sequential(torch_norm)
model.train()  # a model's train() puts each of its modules back in train() mode
assert torch_norm.training
# --8<-- [end:torch]
frozen_torch_updates = bool(torch_norm.running_mean.abs().min() > 0)
frozen_torch_mode = ("inference" if np.abs(train_output - normalised(x, *initial)).max()
                     < 1e-5 else "training")
assert frozen_torch_updates and frozen_torch_mode == "training"
assert not any(p.requires_grad for p in torch_norm.parameters())
back_in_training = torch_norm.training
