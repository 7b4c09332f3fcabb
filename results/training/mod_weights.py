"""Digits MLPs with kernel = w mod m, bias = b mod m and two replacements, trained with Adam and SGD.

Every MLP of one optimizer is trained side by side in one Keras model (see
snippets/training/mod_experiment.py): three seeds per variant, the same batches. Recorded per
epoch: accuracy on the held-out images, the training loss, and for the variants with mod the
share of parameters p whose floor(p/m) changed; before training, floor(w/m) of every kernel
entry and the gradients that w and m receive.
"""
import collections
import math
import time

import keras
import numpy as np
import tensorflow as tf

from snippets.training import mod_experiment
from snippets.training.mod_layers import VARIANTS, KernelModDense

SEEDS = (0, 1, 2)
EPOCHS = 20
# Adam with Keras' defaults; SGD with a learning rate at which the plain MLP learns as fast.
OPTIMIZERS = {
    "adam": (keras.optimizers.Adam, {}, list(VARIANTS)),
    "sgd": (keras.optimizers.SGD, {"learning_rate": 0.1}, ["dense", "kernel_mod", "sigmoid"]),
}


def finite_or_none(values):
    return [value if math.isfinite(value) else None for value in map(float, values)]


def initial_gradients(model):
    """Mean |dL/dw| and mean |dL/dm| of each MLP with kernel = w mod m, on all training images."""
    loss = keras.losses.SparseCategoricalCrossentropy()
    found = {}
    for network in model.layers:
        layers = [l for l in getattr(network, "layers", []) if isinstance(l, KernelModDense)]
        if not layers:
            continue
        with tf.GradientTape() as tape:
            own = loss(mod_experiment.y_train, network(mod_experiment.x_train))
        ws, ms = tape.gradient(own, [[l.w for l in layers], [l.m for l in layers]])
        floors = [np.floor(l.w.numpy() / l.m.numpy()) for l in layers]
        for g_w, g_m, floor in zip(ws, ms, floors):  # the page's derivative, in the network
            np.testing.assert_allclose(g_m, -floor * g_w.numpy(), atol=1e-6)
        found[network.name] = {
            "w": float(np.mean(np.abs(np.concatenate([g.numpy().ravel() for g in ws])))),
            "m": float(np.mean(np.abs(np.concatenate([g.numpy().ravel() for g in ms])))),
        }
    return found


def same_sign_share(model):
    """Per MLP with kernel = w mod m: the share of nonzero effective weights with m's sign."""
    shares = {}
    for network in model.layers:
        layers = [l for l in getattr(network, "layers", []) if isinstance(l, KernelModDense)]
        if not layers:
            continue
        kernels = np.concatenate([np.asarray(l.effective()[0]).ravel() for l in layers])
        ms = np.concatenate([l.m.numpy().ravel() for l in layers])
        if not np.all(np.isfinite(kernels)):
            shares[network.name] = None
            continue
        nonzero = kernels != 0
        shares[network.name] = float(np.mean(np.sign(kernels[nonzero]) == np.sign(ms[nonzero])))
    return shares


def make_results(progress) -> dict:
    results = {
        "seeds": list(SEEDS), "epochs": EPOCHS, "batch_size": mod_experiment.BATCH_SIZE,
        "train_images": len(mod_experiment.x_train), "test_images": len(mod_experiment.x_test),
        "optimizers": {}, "runs": {}, "seconds": {},
    }
    for name, (optimizer_class, settings, variants) in OPTIMIZERS.items():
        started = time.perf_counter()
        optimizer = optimizer_class(**settings)
        model = mod_experiment.side_by_side(
            optimizer, SEEDS, {variant: VARIANTS[variant] for variant in variants}
        )
        results["optimizers"][name] = {
            "class": optimizer_class.__name__,
            "learning_rate": float(optimizer.learning_rate.numpy()),
            "variants": variants,
        }
        gradients = initial_gradients(model)
        signs_before = same_sign_share(model)
        progress(f"{name}: {len(variants)} variants x {len(SEEDS)} seeds, tracing the step")
        report = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs, name=name: progress(
            f"{name}: epoch {epoch + 1}/{EPOCHS}, {len(variants)} variants x {len(SEEDS)} seeds"
        ))
        record, losses = mod_experiment.train(model, EPOCHS, callbacks=[report])
        signs_after = same_sign_share(model)
        runs = {}
        for network, accuracy in record.accuracy.items():
            run = {"accuracy": accuracy, "loss": finite_or_none(losses[network])}
            if network in record.jumps:
                run["jumps"] = record.jumps[network]
                run["initial_floors"] = dict(sorted(
                    collections.Counter(int(k) for k in record.initial[network]).items()
                ))
            if network in gradients:
                run["initial_mean_abs_gradient"] = gradients[network]
                run["same_sign_share"] = {"before": signs_before[network],
                                          "after": signs_after[network]}
            runs[network] = run
        results["runs"][name] = runs
        results["seconds"][name] = round(time.perf_counter() - started, 1)
    return results
