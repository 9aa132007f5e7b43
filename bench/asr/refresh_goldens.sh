#!/usr/bin/env bash
# Re-dumps the PyTorch golden files of every committed model, so the C# parity tests
# (tests/EdgeVoice.Asr.Tests/GoldenParityTests) compare against the model that is in models/ now.
# Run it after replacing or adding a model file, then commit tests/data/golden/.
#
#   bench/asr/refresh_goldens.sh                # every transducer models/*.evm -> tests/data/golden/<file name without .evm>/
#   bench/asr/refresh_goldens.sh models/x.evm   # only these
#
# Float32 (format version 1) and int8 / block-sparse int8 (version 2, from `edgevoice compress` or
# training/compress.py) files alike: for version 2 the dump emulates the C# int8 arithmetic
# (training/int8_emulation.py). Language models in models/ (lm-*.evm) have no goldens and are skipped.
#
# Each folder's golden.json records the model's SHA-256; the tests fail, naming this script, when it no
# longer matches the file in models/. Needs espeak-ng and /usr/bin/python3 with torch and torchaudio.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
    models=(models/*.evm)
fi
for model in "${models[@]}"; do
    # header: magic (8 bytes), version u32, metadata length u32, metadata JSON
    if ! /usr/bin/python3 -c 'import json, struct, sys
with open(sys.argv[1], "rb") as f:
    head = f.read(16)
    meta = json.loads(f.read(struct.unpack_from("<I", head, 12)[0]))
sys.exit(0 if str(meta.get("architecture", "")).startswith("convrnnt") else 1)' "$model"; then
        echo "$model: not a transducer (no goldens), skipped"
        continue
    fi
    name="$(basename "$model" .evm)"
    out="tests/data/golden/$name"
    rm -rf "$out"
    nice -n 5 /usr/bin/python3 bench/asr/dump_golden_any.py --threads 1 --checkpoint "$model" --output "$out"
    size=$(du -sk "$out" | cut -f1)
    if [ "$size" -gt 2048 ]; then
        echo "$out is ${size} KiB; the golden files must stay under 2 MB" >&2
        exit 1
    fi
done
echo "now: git add tests/data/golden && dotnet test tests/EdgeVoice.Asr.Tests -c Release --filter GoldenParityTests"
