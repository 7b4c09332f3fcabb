"""Padded batches: what a Keras mask skips, fed to a PyTorch module as packed sequences.

A Keras recurrent layer behind an `Embedding(mask_zero=True)` or a `Masking` layer skips
each sequence's padded timesteps; a torch.nn.RNN, LSTM or GRU has no mask and reads them
as data. Fed a `PackedSequence` of each sequence's real steps, it computes what the
masked layer computes: `masked_forward` does that and pads the output as Keras does.
"""

from typing import Any

import numpy as np
import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from weightatlas.arrays import as_array
from weightatlas.errors import ConversionError

__all__ = ["lengths_from_mask", "pack_padded", "masked_forward"]


def lengths_from_mask(mask: Any) -> np.ndarray:
    """Each sequence's number of real timesteps, from a (batch, timesteps) mask that is
    True at real steps. Refused: a mask with a gap (a masked step before a real one),
    which Keras skips but a packed sequence cannot hold, and an all-padding sequence."""
    if isinstance(mask, torch.Tensor):
        mask = mask.detach().cpu().numpy()
    mask = np.asarray(mask).astype(bool)
    if mask.ndim != 2:
        raise ConversionError(f"the mask has shape {mask.shape}: expected (batch, timesteps)")
    lengths = mask.sum(axis=1)
    for row, length in enumerate(lengths):
        if not mask[row, :length].all():
            first_gap = int(np.argmin(mask[row]))
            raise ConversionError(
                f"row {row} of the mask has a masked timestep ({first_gap}) before a "
                "real one: a packed sequence holds the first steps of each sequence only. "
                "Pad at the end (Keras skips masked steps anywhere, PyTorch does not)."
            )
        if length == 0:
            raise ConversionError(
                f"row {row} of the mask is all padding: PyTorch packs no empty sequence. "
                "Drop it from the batch."
            )
    return lengths.astype(np.int64)


def pack_padded(inputs: Any, mask: Any, batch_first: bool = True) -> PackedSequence:
    """`inputs` (batch-major when `batch_first`) packed with the lengths `mask` gives:
    what a converted module reads to match a masked Keras layer."""
    lengths = torch.from_numpy(lengths_from_mask(mask))
    tensor = (inputs if isinstance(inputs, torch.Tensor)
              else torch.from_numpy(as_array(inputs, "inputs")))
    return pack_padded_sequence(tensor, lengths, batch_first=batch_first,
                                enforce_sorted=False)


def masked_forward(module: torch.nn.RNNBase, inputs: Any, mask: Any, state: Any = None,
                   zero_output: bool | None = None) -> tuple[torch.Tensor, Any]:
    """Run `module` as the masked Keras layer it was converted from runs.

    `inputs` is (batch, timesteps, features) when module.batch_first, and `mask` is
    (batch, timesteps), True at real steps (Keras' `compute_mask`, or `x != 0` for an
    Embedding(mask_zero=True)'s ids). Returns (output, final state) as the module does,
    with the output padded back to the full length as Keras pads it: at each padded
    step a one-direction layer repeats its last real output, and a Bidirectional
    layer's output is zero (both halves), as Keras' `zero_output_for_mask` option says,
    which Bidirectional sets. `zero_output` overrides that guess: pass True for a layer
    made with zero_output_for_mask=True. The final state is each sequence's state after
    its last real step.
    """
    packed = pack_padded(inputs, mask, batch_first=module.batch_first)
    output, final = module(packed, state)
    total = np.asarray(mask).shape[1]
    output, lengths = pad_packed_sequence(output, batch_first=module.batch_first,
                                          total_length=total)
    if zero_output is None:
        zero_output = module.bidirectional
    if zero_output:  # PyTorch pads with zeros already
        return output, final
    batch_major = output if module.batch_first else output.transpose(0, 1)
    filled = batch_major.clone()
    for row, length in enumerate(lengths.tolist()):
        filled[row, length:] = batch_major[row, length - 1]
    return (filled if module.batch_first else filled.transpose(0, 1)), final
