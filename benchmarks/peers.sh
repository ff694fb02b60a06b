#!/usr/bin/env bash
# The peers' figures (docs/PEERS.md): locked increments per second of the Python peer against
# multiprocessing.Value with get_lock(), and of the C peer against glibc's robust mutex, each in
# one run, on a counter a Java process made. compare.sh runs it after its own table.
# Usage: benchmarks/peers.sh [pythonOpsPerProcess] [cOpsPerProcess]   (after mvn install)
set -euo pipefail
cd "$(dirname "$0")/.."
java="${JAVA25:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}"
region="/dev/shm/sharedstruct-peers-bench-$$.region"
trap 'rm -f "$region"' EXIT
mkdir -p benchmarks/target
cc -std=c11 -O2 -Wall -Wextra -Werror -pthread -I c -o benchmarks/target/peer_vs_robust benchmarks/src/main/c/peer_vs_robust.c
"$java" -cp annotations/target/classes:runtime/target/classes:benchmarks/target/classes dev.sharedstruct.benchmarks.PeerRegion "$region"
python3 benchmarks/src/main/python/peer_vs_value.py "$region" "${1:-200000}"
echo
benchmarks/target/peer_vs_robust "$region" "${2:-2000000}"
