"""A CNN trained on scikit-learn's digits, copied into PyTorch layer by layer: it matches
through the last convolution and not after Flatten, until the Dense kernel's rows take
PyTorch's order. weightatlas.keras_to_torch(model) does the same permutation."""
import keras
import numpy as np
import torch
from sklearn.datasets import load_digits

import weightatlas

data = load_digits()
images = (data.images[..., None] / 16).astype("float32")  # (1797, 8, 8, 1), NHWC
x_train, y_train = images[:1500], data.target[:1500]
x_test, y_test = images[1500:], data.target[1500:]  # other writers' digits


# --8<-- [start:model]
def trained_cnn(seed):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(16, 3, activation="relu"),  # (2, 2, 16) per image
        keras.layers.Flatten(),  # 64 values, listed (height, width, channels)
        keras.layers.Dense(10),
    ])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x_train, y_train, epochs=12, batch_size=32, verbose=0)
    return model
# --8<-- [end:model]


# --8<-- [start:layer_by_layer]
def layer_by_layer(model, permute_rows):
    """The model in PyTorch, each array copied as the layer's own page says; the Dense
    kernel's rows in PyTorch's flatten order only when permute_rows."""
    conv1, _, conv2, _, dense = model.layers
    nn = torch.nn
    torch_model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(64, 10))
    kernel, bias = dense.get_weights()
    if permute_rows:  # (h, w, c) rows -> (c, h, w) rows
        kernel = kernel.reshape(2, 2, 16, 10).transpose(2, 0, 1, 3).reshape(64, 10)
    with torch.no_grad():
        for source, target in ((conv1, torch_model[0]), (conv2, torch_model[3])):
            kernel_axes_moved = source.kernel.numpy().transpose(3, 2, 0, 1)
            target.weight.copy_(torch.from_numpy(kernel_axes_moved))
            target.bias.copy_(torch.from_numpy(source.bias.numpy()))
        torch_model[6].weight.copy_(torch.from_numpy(kernel.T.copy()))
        torch_model[6].bias.copy_(torch.from_numpy(bias))
    return torch_model
# --8<-- [end:layer_by_layer]


def accuracy(logits):
    return float((np.asarray(logits).argmax(1) == y_test).mean())


def compare(seed):
    """Keras' accuracy, the copy's without and with the permutation, the largest
    difference at the last convolution and at the output, and the converter's."""
    model = trained_cnn(seed)
    nchw = torch.from_numpy(x_test.transpose(0, 3, 1, 2))
    keras_logits = np.asarray(model(x_test))
    features = keras.Model(model.inputs[0], model.layers[2].output)  # the last convolution
    results = {"keras": accuracy(keras_logits)}
    for name, permute_rows in (("transposed", False), ("permuted", True)):
        torch_model = layer_by_layer(model, permute_rows)
        with torch.no_grad():
            torch_features = torch_model[:5](nchw).numpy().transpose(0, 2, 3, 1)
            logits = torch_model(nchw).numpy()
        results[name] = accuracy(logits)
        results[f"{name} output difference"] = float(np.abs(logits - keras_logits).max())
        keras_features = np.asarray(features(x_test))
        results["features difference"] = float(np.abs(torch_features - keras_features).max())
        results[f"{name} weight"] = torch_model[6].weight.detach().numpy()
    module = weightatlas.keras_to_torch(model)
    with torch.no_grad():
        converted = module(nchw).numpy()
    results["converter output difference"] = float(np.abs(converted - keras_logits).max())
    results["converter weight"] = module[4].weight.detach().numpy()
    results["model"] = model
    return results


if __name__ == "__main__":
    # --8<-- [start:compare]
    results = compare(seed=0)
    print(results["features difference"])  # the last convolution: matches
    print(results["keras"], results["transposed"], results["permuted"])  # accuracies
    # --8<-- [end:compare]
    # --8<-- [start:converter]
    model = trained_cnn(seed=0)
    module = weightatlas.keras_to_torch(model)  # the Dense after Flatten: rows permuted
    print(weightatlas.plan_for(model))  # each array, its keys, shapes and operation
    with torch.no_grad():
        logits = module(torch.from_numpy(x_test).permute(*module.keras_input_axes))
    np.testing.assert_allclose(logits.numpy(), np.asarray(model(x_test)), atol=1e-5)
    # --8<-- [end:converter]
    assert results["features difference"] < 1e-5
    assert results["permuted output difference"] < 1e-5
    assert results["transposed output difference"] > 1
    assert results["transposed"] < results["keras"] - 0.2
    assert results["permuted"] == results["keras"]
    assert results["converter output difference"] < 1e-5
    np.testing.assert_array_equal(results["converter weight"], results["permuted weight"])
