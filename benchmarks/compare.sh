#!/usr/bin/env bash
# Locked increments per second with 1, 2 and 4 processes: sharedstruct, Python's
# multiprocessing.Value with get_lock(), and a hand-written FFM spin lock, side by side in one run.
# Usage: benchmarks/compare.sh [javaOpsPerProcess] [pythonOpsPerProcess]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
mvn -q -B -Pcompare -DskipTests verify -pl benchmarks -Dcompare.args="${1:-2000000} ${2:-200000}"
# The C and Python peers against multiprocessing.Value and glibc's robust mutex (docs/PEERS.md).
benchmarks/peers.sh
