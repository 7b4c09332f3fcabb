"""This machine has no cuDNN: PyTorch would use it (the flag is on), but it is not
there, so what only runs with it is quoted, not run."""
import torch

# --8<-- [start:here]
assert torch.backends.cudnn.enabled  # PyTorch would use cuDNN where it can
assert not torch.backends.cudnn.is_available()  # but this machine has none
assert not torch.cuda.is_available()
# --8<-- [end:here]
