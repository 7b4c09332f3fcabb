"""Facts of the Flatten page: the order in which each library's Flatten lists a feature
map's values, read from the flattened values themselves; the permutation of a Dense
kernel's rows that fixes a copy; what a CNN trained on digits predicts when copied
without and with it, over seeds; what Flatten(data_format=...) does on a channels_first
tensor; and the converter's plan row for the Dense after Flatten.
"""
import itertools

import numpy as np
import torch

import weightatlas
from facts._spread import over_seeds
from facts._tables import code, shape_text
from snippets.layers import flatten_digits, flatten_order

SEEDS = range(5)
# The feature map's axes as the snippet builds it: (h, w, c), value = index in that order.
AXIS_NAMES = ("height", "width", "channels")


def listed_as(flat: np.ndarray, sizes: tuple[int, ...]) -> tuple[str, ...]:
    """The axes, slowest first, in whose order `flat` lists a map whose value is its index
    in (height, width, channels) order: found by trying every order."""
    index = np.arange(int(np.prod(sizes))).reshape(sizes)
    found = [axes for axes in itertools.permutations(range(len(sizes)))
             if np.array_equal(flat, index.transpose(axes).reshape(-1))]
    assert len(found) == 1, found
    return tuple(AXIS_NAMES[a] for a in found[0])


def order_text(names: tuple[str, ...]) -> str:
    return "(" + ", ".join(names) + ")"


def orders() -> dict[str, str]:
    sizes = (flatten_order.h, flatten_order.w, flatten_order.c)
    keras_order = listed_as(flatten_order.keras_flat, sizes)
    torch_order = listed_as(flatten_order.torch_flat, sizes)
    first_keras = listed_as(flatten_order.as_keras, sizes)
    first_torch = listed_as(flatten_order.as_torch, sizes)
    assert keras_order != torch_order and first_keras == keras_order
    assert first_torch == torch_order
    return {"keras_order": order_text(keras_order), "torch_order": order_text(torch_order),
            "order_answer": (
                f"Keras' `Flatten` lists a feature map's values as {order_text(keras_order)}, "
                f"PyTorch's `nn.Flatten` as {order_text(torch_order)}: the same numbers in "
                "another order"),
            # the rows' orders and the code that moves them, one fact: no slot to swap
            "rows_answer": (
                f"the layer after it reads its inputs as {order_text(keras_order)}. Permute "
                f"the rows of its kernel to {order_text(torch_order)} before the transpose, "
                f"{permutation()}"),
            "channels_first_orders": (
                f"`Flatten(data_format=\"channels_first\")` lists a channels_first map as "
                f"{order_text(first_keras)}, as a channels_last model's `Flatten` does, and "
                f"`Flatten(data_format=\"channels_last\")` lists it as "
                f"{order_text(first_torch)}, as PyTorch does")}


def permutation() -> str:
    """The snippet's move of the kernel's axes, named: (h, w, c, units) -> (units, c, h, w),
    checked against the rows the snippet's outputs prove."""
    axes = flatten_order.AXES
    names = ("h", "w", "c", "units")
    assert tuple(names[a] for a in axes) == ("units", "c", "h", "w")
    assert flatten_order.transposed_only_difference > 0.1
    return code(f"kernel.reshape(h, w, c, units).transpose{axes}.reshape(units, h * w * c)")


def trained(seed: int) -> dict:
    results = flatten_digits.compare(seed)
    assert results["features difference"] < 1e-5
    assert results["permuted output difference"] < 1e-5
    assert results["converter output difference"] < 1e-5
    assert results["permuted"] == results["keras"]
    np.testing.assert_array_equal(results["converter weight"], results["permuted weight"])
    return results


def digits_facts() -> dict[str, str]:
    runs = {seed: trained(seed) for seed in SEEDS}
    keras_accuracy = over_seeds(lambda seed: runs[seed]["keras"], SEEDS, "{:.0%}")
    transposed = over_seeds(lambda seed: runs[seed]["transposed"], SEEDS, "{:.0%}")
    features = over_seeds(lambda seed: runs[seed]["features difference"], SEEDS, "{:.1e}")
    outputs = over_seeds(lambda seed: runs[seed]["transposed output difference"], SEEDS,
                         "{:.0f}")
    assert transposed.high < keras_accuracy.low - 0.5 and features.high < 1e-5
    model = runs[SEEDS[0]]["model"]  # trained once, by compare()
    kernel = model.layers[-1].kernel
    row = next(r for r in weightatlas.plan_for(model).rows() if r[0] == kernel.path)
    feature_shape = tuple(model.layers[2].output.shape[1:])
    module = weightatlas.keras_to_torch(model)
    linear = dict(module.named_modules())[row[1].removesuffix(".weight")]
    assert isinstance(linear, torch.nn.Linear) and row[3] == tuple(linear.weight.shape)
    channels_first = feature_shape[-1:] + feature_shape[:-1]  # (h, w, c) -> (c, h, w)
    assert row[4].startswith(f"rows as {shape_text(feature_shape)} → "
                             f"{shape_text(channels_first)}"), row
    return {
        "digits_features_difference": str(features),
        # one fact: the accuracies and the logit difference cannot swap places
        "digits_after_flatten": (
            f"After `Flatten`, the transposed-only copy is off by up to {outputs} in the "
            f"logits, and its accuracy on the held-out digits is {transposed}, against "
            f"{keras_accuracy} in Keras. The copy with the rows permuted predicts what "
            "Keras predicts, with the same accuracy in each seed"),
        "digits_feature_shape": code(shape_text(feature_shape)),
        "digits_plan_row": f"{code(row[1])}, {code(shape_text(row[3]))}: {row[4]}",
    }


def make_facts() -> dict[str, str]:
    return {**orders(), "permutation_code": permutation(), **digits_facts(),
            "pooled_shape": code(shape_text(flatten_order.keras_pooled.shape))}
