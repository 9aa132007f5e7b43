"""The one parameter definition shared by prepare, train, decode, export and dump_golden.

Every script builds its argument parser with ``add_params(parser)`` and turns the parsed
namespace back into a ``Params`` with ``Params.from_args(args)``, so model sizes, feature
options and paths cannot drift between the stages. The exported model file carries the
model and feature fields in its metadata, and ``Params.from_metadata`` reads them back.

    /usr/bin/python3 training/train.py --help     # lists every field below
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field
from typing import List

# Feature options: the contract with the C# runtime. Names follow Kaldi's FbankOptions /
# FrameExtractionOptions (torchaudio.compliance.kaldi.fbank takes the same values).
FEATURE_OPTIONS = {
    "sample_frequency": 16000.0,      # Hz; 8 kHz audio is resampled first (see RESAMPLE_OPTIONS)
    "frame_length_ms": 25.0,          # Kaldi default
    "frame_shift_ms": 10.0,           # Kaldi default
    "dither": 0.0,                    # no dither, so features are deterministic
    "preemphasis_coefficient": 0.97,  # Kaldi default
    "remove_dc_offset": True,         # Kaldi default
    "window_type": "povey",           # Kaldi default
    "round_to_power_of_two": True,    # Kaldi default: 400-sample frame -> 512-point FFT
    "snip_edges": True,               # Kaldi default: only whole frames
    "num_mel_bins": 80,
    "low_freq": 20.0,                 # Kaldi default
    "high_freq": -400.0,              # Kaldi convention: negative = offset from Nyquist (7600 Hz)
    "use_energy": False,
    "energy_floor": 1.0,              # torchaudio's default (unused with use_energy=False)
    "input_scale": "float",           # samples in [-1, 1] as torchaudio.load returns, not int16
}

# How audio at another rate is brought to 16 kHz (torchaudio.functional.resample defaults).
RESAMPLE_OPTIONS = {
    "function": "torchaudio.functional.resample",
    "resampling_method": "sinc_interpolation",
    "lowpass_filter_width": 6,
    "rolloff": 0.99,
    "beta": None,
}

ARCHITECTURE = "convrnnt-v1"


@dataclass
class Params:
    # ---- data -------------------------------------------------------------------------
    manifests: List[str] = field(default_factory=lambda: ["/work/shared/data/real/manifest.jsonl"])
    manifest_repeat: List[str] = field(default_factory=list)  # per manifest: times per epoch (default 1)
    train_split: str = "train"                      # split name(s) used for training, comma separated
    feats_dir: str = "/work/cache/feats"            # feature cache (one file per manifest+split)
    tokenizer: str = "training/tokenizer/bpe256.model"
    extra_text: List[str] = field(default_factory=list)  # more text for the tokenizer only
    # ---- model ------------------------------------------------------------------------
    num_mel_bins: int = 80
    subsampling_channels: int = 32   # channels of both stride-2 Conv2d layers
    encoder_dim: int = 192           # width after subsampling and in the conv/global blocks
    conv_kernel: int = 8             # causal depthwise Conv1d kernel of the local block
    lstm_hidden: int = 256           # hidden size of every encoder LSTM layer
    lstm_layers: int = 3
    decoder_dim: int = 192           # stateless prediction network: embedding width
    context_size: int = 2            # tokens the prediction network sees (causal conv kernel)
    joiner_dim: int = 192
    vocab_size: int = 256            # must equal the tokenizer's size; blank is id 0
    blank_id: int = 0
    subsampling_factor: int = 4
    chunk_size: int = 8              # default streaming chunk in encoder output frames (8 = 320 ms)
    # ---- training ---------------------------------------------------------------------
    exp_dir: str = "/work/cache/exp/convrnnt"
    seed: int = 42
    num_epochs: int = 30
    max_frames: int = 12000          # 10 ms input frames per batch (count * longest, padded)
    max_duration_s: float = 20.0     # skip longer training utterances
    lr: float = 2.0e-3               # peak learning rate
    warmup_steps: int = 200
    schedule_offset: int = 0         # the decay counts from this many steps on (a fresh optimiser on trained weights: warm up, then the LR where the earlier run left it)
    weight_decay: float = 1e-6
    grad_clip: float = 5.0
    lstm_dropout: float = 0.1
    sortagrad_epochs: int = 1        # epochs in shortest-first order before shuffling
    ctc_weight: float = 0.0          # auxiliary CTC loss on the encoder (head not exported)
    spec_freq_masks: int = 2
    spec_freq_width: int = 15
    spec_time_masks: int = 4         # per 10 s of audio, at least 1
    spec_time_width: int = 40
    vtlp: float = 0.0                # vocal tract length perturbation: warp the mel axis by a factor in [1-v, 1+v] per utterance (0: off)
    checkpoint_minutes: float = 10.0
    max_minutes: float = 0.0         # stop training after this long (0 = no limit)
    max_steps: int = 0               # stop after this many optimiser steps (0 = no limit)
    resume: bool = False             # continue from <exp_dir>/checkpoint-latest.pt
    recompute_cmvn: bool = False     # with --init-from: CMVN from this run's training data
    init_from: str = ""              # initialise weights from an exported .evm file
    reinit_lstm: bool = False        # with --init-from: fresh encoder LSTM weights (PyTorch's initialisation)
    cell_penalty: float = 0.0        # weight of mean(max(|c_end| - cell_limit, 0)^2) over the LSTM cells
    cell_limit: float = 2.0          # |c| up to this costs nothing (tanh(2) = 0.96: not yet saturated)
    skip_off: bool = False           # encoder skip Linear held at zero: the joiner sees the LSTM output only
    limit_utts: int = 0              # use only the first N utterances of each set (smoke tests)
    threads: int = 1                 # 1 is faster than 2 when the 2 cores are shared
    # ---- decoding ---------------------------------------------------------------------
    checkpoint: str = ""             # .pt checkpoint or .evm model to decode/export
    decode_method: str = "greedy"    # greedy | beam | both
    beam: int = 4
    # ---- export -----------------------------------------------------------------------
    model_name: str = "convrnnt-small"
    output: str = ""                 # exported .evm path
    blank_penalty: float = 0.0       # export: subtracted from the joiner's blank bias (fewer deletions; tune on dev)
    scores_json: List[str] = field(default_factory=list)  # decode.py wer.json file(s) to embed

    # Fields that describe the network; these go into the model file's metadata.
    MODEL_FIELDS = ("num_mel_bins", "subsampling_channels", "encoder_dim", "conv_kernel",
                    "lstm_hidden", "lstm_layers", "decoder_dim", "context_size", "joiner_dim",
                    "vocab_size", "blank_id", "subsampling_factor", "chunk_size")

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "Params":
        values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls)}
        return cls(**values)

    def model_config(self) -> dict:
        return {name: getattr(self, name) for name in self.MODEL_FIELDS}

    def apply_model_config(self, config: dict) -> None:
        for name in self.MODEL_FIELDS:
            if name in config:
                setattr(self, name, config[name])


def add_params(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add one --option per Params field, with the dataclass default."""
    defaults = Params()
    for f in dataclasses.fields(Params):
        flag = "--" + f.name.replace("_", "-")
        value = getattr(defaults, f.name)
        if isinstance(value, bool):
            parser.add_argument(flag, dest=f.name, action="store_true", default=value)
        elif isinstance(value, list):
            parser.add_argument(flag, dest=f.name, nargs="*", default=value)
        else:
            parser.add_argument(flag, dest=f.name, type=type(value), default=value)
    return parser


def parse_params(description: str) -> Params:
    parser = argparse.ArgumentParser(description=description)
    return Params.from_args(add_params(parser).parse_args())
