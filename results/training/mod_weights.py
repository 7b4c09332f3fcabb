"""Digits MLPs with w mod m weights and their variants, trained with Adam and SGD.

Kernel = w mod m, bias = b mod m, the variants that each remove one of the kernel's
three causes, and replacements, trained with Adam and with SGD over five seeds.

Each optimizer trains every variant's MLPs of all seeds side by side, each seed on its
own shuffle of the images (snippets/training/mod_experiment.py). Recorded per epoch and
seed: accuracy on the held-out images, the training loss and, for the layers that wrap a
parameter, the share of those parameters that crossed a multiple of m. Before training:
floor(w/m) of every kernel entry of the w mod m MLPs and the gradients w and m receive;
before and after, the share of effective weights with m's sign.
"""
import collections
import math
import time

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from snippets.training import mod_experiment
from snippets.training.mod_layers import VARIANTS, KernelModDense

SEEDS = (0, 1, 2, 3, 4)
EPOCHS = 20
# Adam with Keras' defaults; SGD with the learning rate at which the Dense MLP learns;
# the variants with one cause removed run with both.
CAUSES = ["kernel_mod", "straight_through", "centred", "folded"]
OPTIMIZERS = {
    "adam": (keras.optimizers.Adam, {}, list(VARIANTS)),
    "sgd": (keras.optimizers.SGD, {"learning_rate": 0.1},
            ["dense", *CAUSES, "sigmoid", "clipped"]),
}
# The variants whose initial gradients are recorded.
WITH_M = ("kernel_mod",)


def finite_or_none(values):
    return [value if math.isfinite(value) else None for value in map(float, values)]


def layers_of(model, variant):
    return [l for l in model.get_layer(variant).layers
            if getattr(l, "m_like", None) == "w"]


def initial_gradients(model):
    """Per variant with a trained m of w's shape, per seed: mean |dL/dw| and mean
    |dL/dm| of the MLP's own loss on all training images."""
    present = {layer.name for layer in model.layers}
    variants = [variant for variant in WITH_M if variant in present]
    with tf.GradientTape() as tape:
        x, y = mod_experiment.x_train, mod_experiment.y_train
        every_seed = len(SEEDS)
        losses = mod_experiment.own_losses(
            np.broadcast_to(y, (every_seed, *y.shape)),
            model(np.broadcast_to(x, (every_seed, *x.shape))))
        total = sum(ops.sum(losses[variant]) for variant in variants)
    layers = {variant: layers_of(model, variant) for variant in variants}
    found = {}
    grads = tape.gradient(total, {variant: [[l.w for l in own], [l.m for l in own]]
                                  for variant, own in layers.items()})
    for variant, (ws, ms) in grads.items():
        if variant == "kernel_mod":  # the page's derivative, in the network
            for layer, g_w, g_m in zip(layers[variant], ws, ms):
                floor = np.floor(layer.w.numpy() / layer.m.numpy())
                np.testing.assert_allclose(g_m, -floor * g_w.numpy(), atol=1e-6)

        def mean_abs(gradients):
            return np.concatenate([np.abs(g.numpy()).reshape(len(SEEDS), -1)
                                   for g in gradients], axis=1).mean(axis=1)

        found[variant] = {"w": mean_abs(ws).tolist(), "m": mean_abs(ms).tolist()}
    return found


def same_sign_share(model):
    """Per seed of the w mod m MLPs: the share of nonzero effective weights with m's
    sign."""
    layers = layers_of(model, "kernel_mod")
    kernels = np.concatenate([np.asarray(l.effective()[0]).reshape(len(SEEDS), -1)
                              for l in layers], axis=1)
    ms = np.concatenate([l.m.numpy().reshape(len(SEEDS), -1) for l in layers], axis=1)
    shares = []
    for kernel, m in zip(kernels, ms):
        nonzero = kernel != 0
        shares.append(float(np.mean(np.sign(kernel[nonzero]) == np.sign(m[nonzero])))
                      if np.all(np.isfinite(kernel)) else None)
    return shares


def initial_floors(model):
    """Per seed of the w mod m MLPs: how many kernel entries have each floor(w/m)."""
    layers = layers_of(model, "kernel_mod")
    assert all(type(l) is KernelModDense for l in layers)
    floors = np.concatenate([np.floor(l.w.numpy() / l.m.numpy()).reshape(len(SEEDS), -1)
                             for l in layers], axis=1)
    return [dict(sorted(collections.Counter(int(k) for k in row).items()))
            for row in floors]


def make_results(progress) -> dict:
    results = {
        "seeds": list(SEEDS), "epochs": EPOCHS, "batch_size": mod_experiment.BATCH_SIZE,
        "train_images": len(mod_experiment.x_train),
        "test_images": len(mod_experiment.x_test),
        "causes": CAUSES, "optimizers": {}, "runs": {}, "seconds": {},
    }
    for name, (optimizer_class, settings, variants) in OPTIMIZERS.items():
        started = time.perf_counter()
        optimizer = optimizer_class(**settings)
        model = mod_experiment.side_by_side({v: VARIANTS[v] for v in variants}, SEEDS)
        results["optimizers"][name] = {
            "class": optimizer_class.__name__,
            "learning_rate": float(optimizer.learning_rate.numpy()),
            "variants": variants,
        }
        gradients, floors = initial_gradients(model), initial_floors(model)
        signs_before = same_sign_share(model)
        record = mod_experiment.Record(model, SEEDS)

        def after_epoch(losses, name=name, record=record, variants=variants):
            record(losses)
            progress(f"{name}: epoch {len(record.loss[variants[0]])}/{EPOCHS}, "
                     f"{len(variants)} variants x {len(SEEDS)} seeds")

        mod_experiment.train(model, optimizer, SEEDS, EPOCHS, after_epoch)
        signs_after = same_sign_share(model)
        runs = {}
        for variant in variants:
            for index, seed in enumerate(SEEDS):
                run = {
                    "accuracy": [float(epoch[index])
                                 for epoch in record.accuracy[variant]],
                    "loss": finite_or_none(epoch[index]
                                           for epoch in record.loss[variant]),
                }
                if variant in record.crossings:
                    run["crossings"] = [float(epoch[index])
                                        for epoch in record.crossings[variant]]
                if variant in gradients:
                    run["initial_mean_abs_gradient"] = {
                        part: values[index]
                        for part, values in gradients[variant].items()}
                if variant == "kernel_mod":
                    run["initial_floors"] = floors[index]
                    run["same_sign_share"] = {"before": signs_before[index],
                                              "after": signs_after[index]}
                runs[f"{variant}_{seed}"] = run
        results["runs"][name] = runs
        results["seconds"][name] = round(time.perf_counter() - started, 1)
    return results
