"""torch.linalg.solve on a batch of rows: the right forms; how to see a singular W."""
import torch

torch.manual_seed(0)
n = 3
layer = torch.nn.Linear(n, n)
W, b = layer.weight.detach(), layer.bias.detach()

# --8<-- [start:forms]
x = torch.randn(10, n)  # ten samples, one per row
y = x @ W.T + b  # what torch.nn.Linear computes
x_transposed = torch.linalg.solve(W, (y - b).T).T  # W @ x.T == (y - b).T
x_right = torch.linalg.solve(W.T, y - b, left=False)  # x @ W.T == y - b
x_columns = torch.linalg.solve(W, (y - b)[..., None])[..., 0]  # rows as columns
for x_solved in (x_transposed, x_right, x_columns):
    torch.testing.assert_close(x_solved, x, atol=1e-5, rtol=0)
# --8<-- [end:forms]

# --8<-- [start:square_trap]
def square_trap(W, x_square):
    """Rows passed as they are, with as many samples as features: no error."""
    y_square = x_square @ W.T + b
    x_wrong = torch.linalg.solve(W, y_square - b)  # runs, no error
    torch.testing.assert_close(W @ x_wrong, y_square - b, atol=1e-5, rtol=0)
    return x_wrong


x_square = torch.randn(n, n)  # as many samples as features
x_wrong = square_trap(W, x_square)
assert not torch.allclose(x_wrong, x_square, atol=1e-5, rtol=0)
assert not torch.allclose(x_wrong, x_square.T, atol=1e-5, rtol=0)
# --8<-- [end:square_trap]


def square_trap_error(seed):
    """How far the silent answer lands from x, for a layer and batch drawn by `seed`."""
    torch.manual_seed(seed)
    weight = torch.nn.Linear(n, n).weight.detach()
    x_drawn = torch.randn(n, n)
    return (square_trap(weight, x_drawn) - x_drawn).abs().max().item()


# Batches of other sizes: each raises, but n, which runs and answers wrongly.
for rows in range(1, 3 * n):  # batches of 1 to 8 samples, one per row
    batch = torch.randn(rows, n)
    try:
        solved = torch.linalg.solve(W, batch @ W.T)
    except RuntimeError:
        assert rows != n  # a size other than n raises...
    else:
        assert rows == n  # ...and n runs, solving the columns: a wrong answer
        assert not torch.allclose(solved, batch, atol=1e-5, rtol=0)

# --8<-- [start:singular]
W_singular = W.clone()
W_singular[2] = W_singular[0]  # two neurons with the same weights
solution, info = torch.linalg.solve_ex(W_singular, (y - b).T)
assert info.item() > 0 and not solution.isfinite().all()
# --8<-- [end:singular]
singular_info = info.item()
try:
    torch.linalg.solve(W_singular, (y - b).T)
except torch.linalg.LinAlgError as error:
    singular_message = str(error)
assert singular_message == (
    "torch.linalg.solve: The solver failed because the input matrix is singular."
)

# --8<-- [start:nearly_singular]
W_rank_2 = torch.randn(n, 2) @ torch.randn(2, n)  # rank 2, but rounding hides it
solution, info = torch.linalg.solve_ex(W_rank_2, (y - b).T)
assert info.item() == 0 and solution.isfinite().all()  # "success"
assert torch.linalg.cond(W_rank_2) > 1e6  # what tells you it is not
# --8<-- [end:nearly_singular]
nearly_singular_condition = torch.linalg.cond(W_rank_2).item()
nearly_singular_largest = solution.abs().max().item()
