"""The epsilon defaults, read from the layers: Keras' BatchNormalization adds 1e-3 to
the variance, nn.BatchNorm2d 1e-5. With the same numbers and the same batch, the outputs
differ with the defaults and agree once eps is Keras' epsilon."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)

# --8<-- [start:defaults]
batch_norm = keras.layers.BatchNormalization()
torch_norm = torch.nn.BatchNorm2d(num_features=3)
print(batch_norm.epsilon, torch_norm.eps)  # 0.001 1e-05
# --8<-- [end:defaults]
keras_epsilon, torch_epsilon = batch_norm.epsilon, torch_norm.eps
assert (keras_epsilon, torch_epsilon) == (1e-3, 1e-5)


# --8<-- [start:outputs]
def outputs(x, eps):
    """Both layers on one batch in training mode: each uses the batch's statistics."""
    keras_output = np.asarray(keras.layers.BatchNormalization()(x, training=True))
    torch_norm = torch.nn.BatchNorm2d(num_features=3, eps=eps)  # train() mode
    with torch.no_grad():
        torch_output = torch_norm(torch.from_numpy(x).permute(0, 3, 1, 2))
    return keras_output, torch_output.permute(0, 2, 3, 1).numpy()


x = np.random.default_rng(0).normal(size=(8, 5, 5, 3)).astype("float32")
keras_output, torch_output = outputs(x, eps=torch_norm.eps)  # PyTorch's default
assert np.abs(torch_output - keras_output).max() > 1e-4

keras_output, torch_output = outputs(x, eps=batch_norm.epsilon)  # Keras' epsilon
np.testing.assert_allclose(torch_output, keras_output, atol=1e-5)
# --8<-- [end:outputs]
matched_difference = float(np.abs(torch_output - keras_output).max())
assert matched_difference <= 1e-5


def default_epsilon_difference(seed: int) -> float:
    """The largest output difference with each library's default epsilon, for a batch of
    standard normal numbers drawn with `seed`."""
    batch = np.random.default_rng(seed).normal(size=(8, 5, 5, 3)).astype("float32")
    keras_values, torch_values = outputs(batch, eps=torch_epsilon)
    return float(np.abs(torch_values - keras_values).max())


assert default_epsilon_difference(0) > 1e-4
