#!/usr/bin/env bash
# How region metadata scales (docs/REGION.md "Scale"): find and findOrCreate with 100 names against
# many, the time to create the many, and allocate+free with no holes against many, side by side in
# one run, best of the given rounds. The table is the only output.
# Usage: benchmarks/scale.sh [names] [holes] [rounds] [operations]   (defaults 100000 50000 3 200000)
# Extra Maven options (e.g. -o -Dmaven.repo.local=...) can be given in MAVEN_ARGS; set
# SCALE_SKIP_INSTALL=1 when the modules are already installed (CI's smoke run).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p benchmarks/target
if [ -z "${SCALE_SKIP_INSTALL:-}" ]; then
    # The build's own output goes to a log, shown only when it fails.
    if ! mvn -q -B -Dstyle.color=never ${MAVEN_ARGS:-} -DskipTests install >benchmarks/target/scale-build.log 2>&1; then
        cat benchmarks/target/scale-build.log >&2
        exit 1
    fi
fi
# Maven writes terminal reset codes around a run even in batch mode; strip them from the table.
mvn -q -B -Dstyle.color=never ${MAVEN_ARGS:-} -Pscale -DskipTests verify -pl benchmarks \
    -Dscale.args="${1:-100000} ${2:-50000} ${3:-3} ${4:-200000}" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g'
