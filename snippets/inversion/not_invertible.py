"""Fewer outputs than inputs: many inputs give one output; pinv returns the smallest."""
import numpy as np

rng = np.random.default_rng(0)

# --8<-- [start:many_to_one]
W = rng.normal(size=(2, 5))  # five inputs, two outputs
x = rng.normal(size=5)
_, _, vt = np.linalg.svd(W)
null_space = vt[2:]  # three directions W sends to zero
x_other = x + null_space.T @ rng.normal(size=3)
np.testing.assert_allclose(W @ x_other, W @ x, atol=1e-12)  # same output
# --8<-- [end:many_to_one]
assert not np.allclose(x_other, x, atol=1e-5)

# --8<-- [start:pinv]
x_pinv = np.linalg.pinv(W) @ (W @ x)
np.testing.assert_allclose(W @ x_pinv, W @ x, atol=1e-12)  # same output again
np.testing.assert_allclose(null_space @ x_pinv, 0, atol=1e-12)  # all of it seen
assert np.linalg.norm(x_pinv) < np.linalg.norm(x)  # the shortest such input
# --8<-- [end:pinv]
pinv_distance = np.linalg.norm(x_pinv - x)
np.testing.assert_allclose(pinv_distance, np.linalg.norm(null_space @ x), atol=1e-12)
assert pinv_distance > 0.1
