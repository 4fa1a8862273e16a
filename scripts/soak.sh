#!/usr/bin/env bash
# Soak and long fault variants: 4 cameras (2 generated scenes + 2 over the RTSP test server) sampled every 10 s for
# resident memory, managed heap, pipes/sockets and threads; fails if any grows beyond its bound after warm-up.
#   scripts/soak.sh                 10-minute soak (HGCOUNTER_SOAK_MINUTES overrides)
#   scripts/soak.sh --all-long      every fault test in its long variant (20 churn cycles, 60 s outage, 10-min soak)
# Measured figures are appended to artifacts/fault-figures.txt (copy them into docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export HGCOUNTER_LONG=1
mkdir -p artifacts
export HGCOUNTER_FIGURES="$PWD/artifacts/fault-figures.txt"
filter="FullyQualifiedName~HgCounter.FaultTests.Soak"
[ "${1:-}" = "--all-long" ] && filter="FullyQualifiedName~HgCounter.FaultTests"
dotnet build tests/HgCounter.FaultTests -c Release -nologo -v q
dotnet test tests/HgCounter.FaultTests -c Release --no-build -nologo --filter "$filter" \
  --logger "console;verbosity=detailed" --blame-hang-timeout 30m
echo "figures: $HGCOUNTER_FIGURES"
