#!/usr/bin/python3
"""Reference outputs of torchaudio.functional.resample (sinc_interpolation, the recipe's RESAMPLE_OPTIONS)
for TorchaudioSincResamplerTests.

    /usr/bin/python3 tests/EdgeVoice.Asr.Tests/python/make_resample_golden.py tests/data/golden/torchaudio-resample
"""

import os
import sys

import numpy as np
import torch
import torchaudio
import torchaudio.functional as TAF

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
g = torch.Generator().manual_seed(3)
for rate, n in [(8000, 1601), (11025, 2205), (22050, 4411), (44100, 8821), (48000, 9601)]:
    x = (torch.rand(1, n, generator=g) * 2 - 1) * 0.5
    y = TAF.resample(x, rate, 16000, lowpass_filter_width=6, rolloff=0.99, resampling_method="sinc_interpolation")
    np.save(os.path.join(out, f"{rate}.input.npy"), x[0].numpy().astype(np.float32))
    np.save(os.path.join(out, f"{rate}.output.npy"), y[0].numpy().astype(np.float32))
with open(os.path.join(out, "README.md"), "w") as f:
    f.write(f"torchaudio {torchaudio.__version__}: uniform noise at 8-48 kHz resampled to 16 kHz with\n"
            "lowpass_filter_width 6, rolloff 0.99, sinc_interpolation. Regenerate: /usr/bin/python3 "
            "tests/EdgeVoice.Asr.Tests/python/make_resample_golden.py tests/data/golden/torchaudio-resample\n")
