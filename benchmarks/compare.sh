#!/usr/bin/env bash
# Locked increments per second with 1, 2 and 4 processes: sharedstruct, a hand-written FFM spin
# lock (the ceiling), glibc's robust process-shared pthread mutex (a C program compiled here with
# the machine's cc) and Python's multiprocessing.Value with get_lock(), side by side in one run,
# best of 3 alternating rounds. The table is the only output.
# Usage: benchmarks/compare.sh [javaAndCOpsPerProcess] [pythonOpsPerProcess]
# 10,000,000 increments per Java or C process by default: a round then lasts 0.1 to 1 s, long
# enough for the steady state a long-running service sees. With 2,000,000 (the default before)
# one process's round lasted 20 ms, and how the contended rounds went was decided by the JIT's
# first compilations of the slow paths and by who the scheduler ran first: the 4-process ratio
# to the spin lock swung between 0.55x and 1.24x from run to run in one session.
# Extra Maven options (e.g. -o -Dmaven.repo.local=...) can be given in MAVEN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p benchmarks/target
cc -std=c11 -O2 -Wall -Wextra -Werror -pthread -o benchmarks/target/robust_mutex_increments \
    benchmarks/src/main/c/robust_mutex_increments.c
# The build's own output goes to a log, shown only when it fails.
if ! mvn -q -B -Dstyle.color=never ${MAVEN_ARGS:-} -DskipTests install >benchmarks/target/compare-build.log 2>&1; then
    cat benchmarks/target/compare-build.log >&2
    exit 1
fi
# Maven writes terminal reset codes around a run even in batch mode; strip them from the table.
mvn -q -B -Dstyle.color=never ${MAVEN_ARGS:-} -Pcompare -DskipTests verify -pl benchmarks \
    -Dcompare.args="${1:-10000000} ${2:-200000} $PWD/benchmarks/target/robust_mutex_increments" 2>&1 \
    | sed -e 's/\x1b\[[0-9;]*m//g'
# The C and Python peers against multiprocessing.Value and glibc's robust mutex (docs/PEERS.md): a second table.
benchmarks/peers.sh
