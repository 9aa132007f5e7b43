#!/usr/bin/env bash
# Transcripts of PyTorch (training/decode.py) and C# (edgevoice eval) on the same manifest split,
# compared utterance by utterance; lists every utterance whose transcripts differ. Greedy by default;
# METHOD=beam compares modified beam search (beam 4) instead, which a barely trained model makes the
# stricter test (its greedy output is mostly empty). PyTorch reads training/prepare.py's cached fbank
# (torchaudio's Ogg decoding); C# decodes the Ogg files itself and streams 32-frame chunks.
#
#   bench/asr/parity_dev.sh [model.evm] [manifest.jsonl] [split]
#   METHOD=beam bench/asr/parity_dev.sh /tmp/m.evm
#   NATIVE_RATE=1 bench/asr/parity_dev.sh      # C# side: bench/asr/AsrBench hyps (greedy), which hands the
#                                               # recognizer each file at its own rate (manifest sample_rate),
#                                               # instead of edgevoice eval, whose AudioFile.Read resamples to
#                                               # 16 kHz with EdgeVoice.Audio's Kaiser filter first
#   bench/asr/parity_dev.sh models/convrnnt-small.evm /work/shared/data/real/manifest.jsonl dev   # needs Ogg in AudioFile.Read
#   bench/asr/parity_dev.sh models/convrnnt-small.evm /work/cache/synth/manifest_test.jsonl test  # WAV, runs today
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="${1:-$root/models/convrnnt-small.evm}"
manifest="${2:-/work/shared/data/real/manifest.jsonl}"
split="${3:-dev}"
method="${METHOD:-greedy}"
case "$method" in
    greedy) beam_arg=() ;;
    beam) beam_arg=(--beam 4) ;;
    *) echo "METHOD must be greedy or beam" >&2; exit 2 ;;
esac
out="$(mktemp -d /tmp/edgevoice-parity.XXXXXX)"
# decode.py picks the split itself ("test" when the manifest has one, else "dev").
nice -n 5 /usr/bin/python3 "$root/training/decode.py" --checkpoint "$model" --decode-method "$method" --threads 1 \
    --manifests "$manifest" --exp-dir "$out/torch" > "$out/torch.log"
if [ -n "${NATIVE_RATE:-}" ]; then
    [ "$method" = greedy ] || { echo "NATIVE_RATE=1 compares greedy only" >&2; exit 2; }
    dotnet build "$root/bench/asr/AsrBench/AsrBench.csproj" -c Release -o "$out/asrbench" -nologo -v quiet -clp:ErrorsOnly >&2
    nice -n 5 dotnet "$out/asrbench/asrbench.dll" hyps "$model" "$manifest" "$split" "$out/csharp.jsonl" > "$out/csharp.log"
else
    nice -n 5 "$root/edgevoice" eval "$manifest" --split "$split" --model "$model" "${beam_arg[@]}" \
        --hyp-out "$out/csharp.jsonl" > "$out/csharp.log"
fi
/usr/bin/python3 - "$out" "$method" <<'PY'
import glob, json, re, sys
out, method = sys.argv[1], sys.argv[2]
torch = {}
for trn in glob.glob(f"{out}/torch/{method}/*.hyp.trn"):
    for line in open(trn, encoding="utf-8"):
        m = re.match(r"^(.*)\((\S+)\)\s*$", line)
        if m:
            torch[m.group(2)] = " ".join(m.group(1).split()).lower()
cs = {}
for line in open(f"{out}/csharp.jsonl", encoding="utf-8"):
    r = json.loads(line)
    cs[r["id"]] = " ".join(r["text"].split()).lower()
common = sorted(set(torch) & set(cs))
diff = [u for u in common if torch[u] != cs[u]]
for u in diff:
    print(f"DIFF {u}\n  torch: {torch[u]}\n  c#:    {cs[u]}")
only = len(set(torch) ^ set(cs))
same = len(common) - len(diff)
print(f"{same}/{len(common)} identical {method} transcripts ({100.0 * same / max(len(common), 1):.2f}%); "
      f"{only} utterances decoded by only one side; outputs in {out}")
sys.exit(0 if common and same >= 0.99 * len(common) else 1)
PY
