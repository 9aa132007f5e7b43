#!/usr/bin/env bash
# Recognizer speed, C# vs PyTorch eager, one thread each, on the same utterances in one run; lattice sizes.
#
#   bench/asr/speed.sh [model.evm] [manifest.jsonl] [split] [limit]
#   bench/asr/speed.sh /tmp/convrnnt-e.evm /work/shared/data/real/manifest.jsonl dev 678
#
# Both sides time fbank + CMVN + encoder (streamed in 32-frame chunks with state) + search per utterance,
# after warm-up (C#: 20 utterances, for tiered JIT; PyTorch: 1); neither times file decoding. C#: bench/asr/AsrBench (Recognizer.Recognize;
# beam 4 also builds each n-best-4 lattice and its binary encoding). PyTorch: bench/asr/torch_speed.py
# (torch.set_num_threads(1), training/search.py). Runs under nice -n 5 beside whatever else uses the machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="${1:-$root/models/convrnnt-small.evm}"
manifest="${2:-/work/shared/data/real/manifest.jsonl}"
split="${3:-dev}"
limit="${4:-678}"
bin="$(mktemp -d /tmp/edgevoice-asrbench.XXXXXX)"
dotnet build "$root/bench/asr/AsrBench/AsrBench.csproj" -c Release -o "$bin" -nologo -v quiet -clp:ErrorsOnly >&2
echo "$(date -u +%FT%TZ) $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
DOTNET_gcServer=0 nice -n 5 dotnet "$bin/asrbench.dll" speed "$model" "$manifest" "$split" "$limit"
nice -n 5 /usr/bin/python3 "$root/bench/asr/torch_speed.py" "$model" "$manifest" "$split" "$limit"
