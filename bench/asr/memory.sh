#!/usr/bin/env bash
# Peak memory (max RSS from /usr/bin/time -v) of recognising a 60-second file: 60 synthetic test
# utterances joined with sox and cut to 60.0 s.
#
#   bench/asr/memory.sh [model.evm]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="${1:-$root/models/convrnnt-small.evm}"
long=/tmp/edgevoice-long60.wav
parts=$(find /work/cache/synth/test/wav/00000 -name '*.wav' | sort | head -60)
# shellcheck disable=SC2086
sox $parts /tmp/edgevoice-long-joined.wav
sox /tmp/edgevoice-long-joined.wav "$long" trim 0 60
echo "$long: $(soxi -D "$long") s"
bin="$(mktemp -d /tmp/edgevoice-asrbench.XXXXXX)"
dotnet build "$root/bench/asr/AsrBench/AsrBench.csproj" -c Release -o "$bin" -nologo -v quiet -clp:ErrorsOnly >&2
"$root/edgevoice" --help > /dev/null || true   # build the CLI outside the measurement
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'; }
echo "edgevoice transcribe (greedy)     max RSS $(rss "$root/edgevoice" transcribe "$long" --model "$model") KiB"
echo "edgevoice transcribe --beam 4     max RSS $(rss "$root/edgevoice" transcribe "$long" --model "$model" --beam 4) KiB"
echo "RecognitionStream, 100 ms chunks  max RSS $(rss dotnet "$bin/asrbench.dll" stream "$model" "$long" 100) KiB"
dotnet "$bin/asrbench.dll" stream "$model" "$long" 100
echo "dotnet runtime alone (usage text) max RSS $(rss dotnet "$bin/asrbench.dll") KiB"
