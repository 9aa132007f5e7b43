"""Runs the installed TTS engines (espeak-ng, flite, festival) and returns raw audio.

espeak-ng and flite are started once per utterance (a few tens of milliseconds).
festival takes about half a second to start and more to load a voice, so all festival
utterances of a chunk are synthesised by one festival process.
"""
import subprocess
from pathlib import Path

import numpy as np

from .voices import BASE_F0, Speaker
from .wav_io import read_wav


class TtsError(RuntimeError):
    pass


def _run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, **kwargs)
    if result.returncode != 0:
        raise TtsError(f"{cmd[0]} failed ({result.returncode}): {result.stderr.decode(errors='replace')[:400]}")


def synth_espeak(speaker: Speaker, text: str, out: Path) -> tuple[np.ndarray, int]:
    _run(["espeak-ng", "-v", speaker.voice, "-s", str(int(speaker.rate)),
          "-p", str(int(speaker.pitch)), "-w", str(out), text])
    return read_wav(out)


def synth_flite(speaker: Speaker, text: str, out: Path) -> tuple[np.ndarray, int]:
    f0 = BASE_F0[speaker.voice] * speaker.pitch
    _run(["flite", "-voice", speaker.voice, "--setf", f"duration_stretch={speaker.rate}",
          "--setf", f"int_f0_target_mean={f0:.1f}", "-t", text, "-o", str(out)])
    return read_wav(out)


def _festival_voice(speaker: Speaker) -> list[str]:
    lines = [f"(voice_{speaker.voice})"]
    if speaker.voice in BASE_F0:
        # Diphone voices: default stretch is 1.1 (their .scm files); F0 via int_lr_params.
        f0 = BASE_F0[speaker.voice] * speaker.pitch
        lines.append(f"(Parameter.set 'Duration_Stretch {1.1 * speaker.rate:.3f})")
        lines.append(f"(set! int_lr_params '((target_f0_mean {f0:.1f}) (target_f0_std 14) "
                     "(model_f0_mean 170) (model_f0_std 34)))")
    else:
        lines.append(f"(Parameter.set 'Duration_Stretch {speaker.rate:.3f})")
    return lines


def synth_festival_batch(jobs: list[tuple[Speaker, str, Path]], script: Path) -> list[tuple[np.ndarray, int]]:
    """One festival process for all jobs; jobs are grouped by speaker to limit voice switches."""
    lines, current = [], None
    for speaker, text, out in sorted(jobs, key=lambda j: j[0].id):
        if speaker != current:
            lines += _festival_voice(speaker)
            current = speaker
        safe = text.replace("\\", " ").replace('"', " ")
        lines.append(f'(utt.save.wave (utt.synth (Utterance Text "{safe}")) "{out}" \'riff)')
    script.write_text("\n".join(lines) + "\n")
    _run(["festival", "-b", str(script)])
    return [read_wav(out) for _, _, out in jobs]
