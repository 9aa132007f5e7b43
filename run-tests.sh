#!/usr/bin/env bash
# Runs every EdgeVoice test: the .NET solution, the corpus generator's unit tests and the training
# recipe's smoke test (a tiny model trained for a few steps on real data, exported and decoded).
# Needs the Debian packages that .ci/install-deps installs, and ../shared/data/real beside the repository.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
real="${EDGEVOICE_REAL_DATA:-$root/../shared/data/real}"

echo "== .NET tests"
dotnet test EdgeVoice.slnx -c Release

echo "== corpus generator unit tests"
(cd data && /usr/bin/python3 -m unittest discover -s tests -t .)

echo "== training recipe smoke test"
training/smoke_test.sh "$real"
