"""What a figure draws is what a proof measured: the check every order-drawing figure makes.

A gate-order proof (snippets/lstm/gate_order.py and its siblings) runs a NumPy layer in every
order against the library and keeps each order's largest difference in `max_error`. A figure
that labels blocks with an order hands it to `accepted`, which fails the render unless the
proof measured that very order agreeing with the library: a figure can neither type an order
nor draw a permutation of the proven one.
"""
AGREES = 1e-6  # the proofs' own threshold for "matches the library"


def accepted(order, proof, variant=None) -> tuple[str, ...]:
    """`order` (a sequence of gate letters), checked against `proof.max_error` (for the
    Keras GRU, one dict per `reset_after` variant: pass `variant`)."""
    errors = proof.max_error if variant is None else proof.max_error[variant]
    key = "".join(order)
    if key not in errors or not errors[key] <= AGREES:
        raise AssertionError(
            f"{proof.__name__}: the figure draws the order {key!r}, which the proof measured "
            f"{errors.get(key, 'never')} from the library (it accepts {''.join(proof.proven_order)!r})")
    return tuple(order)
