#!/usr/bin/env bash
# ONNX Runtime peer (docs/compression.md): fp32 and int8 ONNX exports of a model file run by onnxruntime-node's
# native library in the same streaming greedy loop, one thread, on every 6th real dev utterance.
#
#   bench/onnx/run.sh [model.evm]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="${1:-$root/models/convrnnt-small.evm}"
work=/work/cache/onnx
mkdir -p "$work"
if [ ! -d "$work/node_modules/onnxruntime-node" ]; then
  (cd "$work" && ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0)
fi
/usr/bin/python3 "$root/training/export_onnx.py" --checkpoint "$model" --output "$work/fp32"
/usr/bin/python3 "$root/training/export_onnx.py" --checkpoint "$model" --output "$work/int8" --int8
/usr/bin/python3 "$root/bench/onnx/dump_features.py" --every 6 --out "$work/dev6" --checkpoint "$model"
node "$root/bench/onnx/stream.mjs" "$work/fp32" "$work/dev6" 5
node "$root/bench/onnx/stream.mjs" "$work/int8" "$work/dev6" 5
