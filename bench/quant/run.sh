#!/usr/bin/env bash
# fp32 vs int8 vs int8-sparse (docs/compression.md): compress a model file with `edgevoice compress`, then
# compare WER, agreement with fp32 and single-thread streaming RTF on every 6th real dev utterance, and the
# peak memory of streaming a 60 s file.
#
#   bench/quant/run.sh [model.evm] [extra .evm files to compare, e.g. a QAT result]...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="${1:-$root/models/convrnnt-small.evm}"
shift || true
out=/tmp/edgevoice-quant
mkdir -p "$out"
"$root/edgevoice" compress --model "$model" --out "$out/int8.evm" --int8
"$root/edgevoice" compress --model "$model" --out "$out/int8-s50.evm" --int8 --sparsity 0.5
"$root/edgevoice" compress --model "$model" --out "$out/int8-s70.evm" --int8 --sparsity 0.7
bin="$out/bin"
dotnet build "$root/bench/quant/QuantBench/QuantBench.csproj" -c Release -o "$bin" -nologo -v quiet -clp:ErrorsOnly >&2
dotnet "$bin/quantbench.dll" compare /work/shared/data/real/manifest.jsonl dev 6 5 \
  "$model" "$out/int8.evm" "$out/int8-s50.evm" "$out/int8-s70.evm" "$@"
long=/tmp/edgevoice-long60.wav
if [ ! -f "$long" ]; then
  # shellcheck disable=SC2046
  sox $(find /work/cache/synth/test/wav/00000 -name '*.wav' | sort | head -60) "$out/joined.wav"
  sox "$out/joined.wav" "$long" trim 0 60
fi
for m in "$model" "$out/int8.evm" "$out/int8-s50.evm"; do
  rss=$(/usr/bin/time -v dotnet "$bin/quantbench.dll" stream "$m" "$long" 100 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p')
  echo "$m: streaming 60 s in 100 ms chunks, max RSS $rss KiB"
done
