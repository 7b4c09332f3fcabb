"""Facts on the network-inversion page: every measured error, size, threshold and count it quotes.

Each value comes from the snippets the page shows (which assert the claims) or is checked
here against PyTorch before the page prints it; the inverse formulas of the activation
table are Python expressions evaluated against the library's own inverse functions.
"""
import math

import torch

from facts._tables import code, markdown_table
from snippets.inversion import (
    activations, coupling_flow, digits_pinv, exact_inverse, exact_inverse_keras,
    exact_inverse_numpy, input_gradients, input_gradients_keras, linalg_solve,
    not_invertible, numerical_limits,
)

# The classifier readers ask about reads MNIST's 28×28 images. The size is typed here once
# (nothing is downloaded); the page contrasts it with the digits that ship in scikit-learn.
MNIST_PIXELS = 28 * 28

# One layer's way back, as code (checked below on the exact-inversion model's last layer)
# and as the page prints it.
LAYER_INVERSE = ("solve(W, finv(y) - b)", r"x = W^{-1}\bigl(f^{-1}(y) - b\bigr)")

# Each activation's inverse as an expression (evaluated below against the library) and as
# the page prints it; `a` is leaky ReLU's negative_slope.
INVERSES = {
    "tanh": ("0.5 * log((1 + y) / (1 - y))", r"\tfrac{1}{2}\ln\frac{1+y}{1-y}", "(−1, 1)"),
    "sigmoid": ("log(y / (1 - y))", r"\ln\frac{y}{1-y}", "(0, 1)"),
    "leaky ReLU": ("where(y >= 0, y, y / a)", r"y \text{ if } y \ge 0 \text{, else } y / a",
                   "all of ℝ"),
}


def checked_inverse_table():
    """Each inverse formula undoes the activation and equals the library's inverse; ReLU
    sends every negative input to the same zero, so it has none."""
    slope = exact_inverse.model[3].negative_slope
    z = torch.linspace(-5, 5, 101, dtype=torch.float64)
    forward = {
        "tanh": (torch.tanh, torch.atanh, "torch.atanh", "np.arctanh"),
        "sigmoid": (torch.sigmoid, torch.logit, "torch.logit", "np.log(y) - np.log1p(-y)"),
        "leaky ReLU": (lambda v: torch.nn.functional.leaky_relu(v, slope), None,
                       "torch.where(y >= 0, y, y / a)", "np.where(y >= 0, y, y / a)"),
    }
    names = {"log": torch.log, "where": torch.where}
    rows = []
    for name, (expression, latex, domain) in INVERSES.items():
        activation, library_inverse, torch_name, numpy_name = forward[name]
        y = activation(z)
        ours = eval(expression, {"__builtins__": {}}, {**names, "y": y, "a": slope})
        torch.testing.assert_close(ours, z, atol=1e-9, rtol=0)
        if library_inverse is not None:
            torch.testing.assert_close(library_inverse(y), ours, atol=1e-9, rtol=0)
        rows.append([name, f"${latex}$", domain, code(torch_name), code(numpy_name)])
    # Domains: the inverse is finite inside and not at or beyond the ends.
    assert torch.atanh(torch.tensor([-1.0, 1.0])).isinf().all()
    assert torch.logit(torch.tensor([0.0, 1.0])).isinf().all()
    assert activations.relu_preimages_of_zero > 1
    rows.append(["ReLU", "none: every $y = 0$ comes from any input $\\le 0$", "", "", ""])
    return markdown_table(["activation", "inverse", "defined on", "PyTorch", "NumPy"], rows)


def checked_layer_inverse():
    """The formula undoes the exact-inversion model's last layer (Linear, then Sigmoid)."""
    linear, sigmoid = exact_inverse.model[4], exact_inverse.model[5]
    with torch.no_grad():
        x = torch.randn(exact_inverse.n, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
        y = sigmoid(linear(x))
        names = {"solve": torch.linalg.solve, "finv": torch.logit, "W": linear.weight,
                 "b": linear.bias, "y": y}
        recovered = eval(LAYER_INVERSE[0], {"__builtins__": {}}, names)
    torch.testing.assert_close(recovered, x, atol=1e-10, rtol=0)
    return LAYER_INVERSE[1]


def scientific(value: float) -> str:
    """`4.2 × 10⁻¹²` style, as MathML-free text."""
    mantissa, exponent = f"{value:.1e}".split("e")
    superscript = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"{mantissa} × 10{str(int(exponent)).translate(superscript)}"


def power_of_ten(value: float) -> str:
    exponent = round(math.log10(value))
    assert math.isclose(value, 10.0**exponent)
    superscript = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"10{str(exponent).translate(superscript)}"


def percent(value: float) -> str:
    return f"{100 * value:.0f} %"


def make_facts() -> dict[str, str | int]:
    limits = numerical_limits
    f32, f64 = torch.float32, torch.float64
    images, pixels = digits_pinv.images, digits_pinv.images.shape[1]
    side = math.isqrt(pixels)
    classes_in_data = len(torch.unique(digits_pinv.labels))
    assert side * side == pixels and digits_pinv.W.shape == (classes_in_data, pixels)
    classes = digits_pinv.W.shape[0]
    hidden = input_gradients.model[0].out_features
    assert input_gradients_keras.model.layers[0].units == hidden
    train_size = digits_pinv.train.stop
    keras_slope = exact_inverse_keras.applied_slope

    # The exact-inversion network, and how far float32 gets on it.
    width = exact_inverse.n
    linear_layers = [layer for layer in exact_inverse.model if isinstance(layer, torch.nn.Linear)]
    assert all(layer.weight.shape == (width, width) for layer in linear_layers)
    assert exact_inverse_numpy.n == exact_inverse_keras.n == width
    condition_product = math.prod(exact_inverse.condition_numbers)
    leaky_gain = 1 / exact_inverse.model[3].negative_slope
    eps32 = torch.finfo(torch.float32).eps
    # The first-order bound the page quotes: rounding times every layer's amplification.
    largest_input = exact_inverse.x.abs().max().item()
    assert exact_inverse.float32_error <= eps32 * condition_product * leaky_gain * largest_input
    # W has full row rank, so the inputs it cannot see form a (pixels - classes) space.
    assert torch.linalg.matrix_rank(digits_pinv.W).item() == classes

    # Depth: the deepest stack each precision still inverts without NaN.
    nan_depth = limits.first_nan

    # The flow.
    flow_layers = len(coupling_flow.flow.layers)

    return {
        "activation_table": checked_inverse_table(),
        "inverse_equation": checked_layer_inverse(),
        "start_first": min(input_gradients.starts),
        "start_second": max(input_gradients.starts),
        "tanh_domain": INVERSES["tanh"][2],
        "exact_width": width,
        "exact_layers": len(linear_layers),
        "exact_float64_error": scientific(exact_inverse.float64_error),
        "exact_float32_error": scientific(exact_inverse.float32_error),
        "exact_numpy_error": scientific(exact_inverse_numpy.float64_error),
        "exact_keras_error": scientific(exact_inverse_keras.float64_error),
        "exact_conditions": ", ".join(f"{c:.0f}" for c in exact_inverse.condition_numbers),
        "exact_condition_product": f"{condition_product:,.0f}".replace(",", " "),
        "exact_leaky_gain": f"{leaky_gain:g}",
        "keras_applied_slope": repr(keras_slope),
        "square_trap_error": f"{linalg_solve.square_trap_error:.1f}",
        "singular_info": linalg_solve.singular_info,
        "nearly_singular_condition": scientific(linalg_solve.nearly_singular_condition),
        "nearly_singular_largest": scientific(linalg_solve.nearly_singular_largest),
        "limits_width": limits.n,
        "epsilon_float32": scientific(limits.epsilon[f32]),
        "epsilon_float64": scientific(limits.epsilon[f64]),
        "lost_float32": power_of_ten(limits.lost_float32),
        "lost_float64": power_of_ten(limits.lost_float64),
        "nan_depth_float32": nan_depth[f32],
        "nan_depth_float64": nan_depth[f64],
        "last_depth_float32": nan_depth[f32] - 1,
        "depth_error_float32": scientific(limits.depth_errors[f32][nan_depth[f32] - 2]),
        "tanh_one_float32": f"{limits.tanh_is_one_from[f32]:.1f}",
        "tanh_one_float64": f"{limits.tanh_is_one_from[f64]:.1f}",
        "pinv_toy_inputs": not_invertible.W.shape[1],
        "pinv_toy_outputs": not_invertible.W.shape[0],
        "pinv_toy_null": not_invertible.null_space.shape[0],
        "mnist_pixels": MNIST_PIXELS,
        "digits_side": side,
        "digits_pixels": pixels,
        "digits_classes": classes,
        "digits_count": len(images),
        "digits_train": train_size,
        "digits_test": len(images) - train_size,
        "digits_null": pixels - classes,
        "pinv_accuracy": percent(digits_pinv.accuracy),
        "pinv_missed": percent(digits_pinv.pinv_relative_error),
        "label_low": f"{digits_pinv.wanted.min().item():.2f}",
        "label_high": f"{digits_pinv.wanted.max().item():.2f}",
        "label_pixel_min": f"{digits_pinv.from_label_pixel_range[0]:.2f}",
        "hidden_units": hidden,
        "mlp_accuracy": percent(input_gradients.accuracy),
        "keras_accuracy": percent(input_gradients_keras.accuracy),
        "largest_on_blank": input_gradients.largest_on_blank,
        "saliency_digits": len(input_gradients.x),
        "target_class": input_gradients.target,
        "best_probability": f"{input_gradients.probabilities[0, input_gradients.target].item():.3f}",
        "best_max_pixel": f"{input_gradients.x_best.max().item():.2f}",
        "free_pixel_min": f"{input_gradients.free_pixel_range[0]:.1f}",
        "free_pixel_max": f"{input_gradients.free_pixel_range[1]:.1f}",
        "flow_layers": flow_layers,
        "flow_log_likelihood": f"{coupling_flow.mean_log_likelihood:.2f}",
        "gaussian_log_likelihood": f"{coupling_flow.gaussian_log_likelihood:.2f}",
        "flow_round_trip_float32": scientific(coupling_flow.round_trip_error),
        "flow_round_trip_float64": scientific(coupling_flow.round_trip_error_float64),
        "flow_density_mass": f"{coupling_flow.density_mass:.4f}",
    }
