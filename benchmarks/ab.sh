#!/usr/bin/env bash
# This checkout's runtime against another revision's, in the compare.sh shape (locked increments
# per second through the generated accessors), in rounds that alternate the two on one machine.
# Why: JMH once measured a change unchanged that lost 15% here (docs/LOCK.md, "Speed"), and
# runs taken minutes apart differ by about that much on their own.
# Usage: benchmarks/ab.sh <revision> [rounds] [opsPerProcess] [processes, e.g. 1 or 1,2,4]
# The other revision's runtime must still run this checkout's benchmark classes (same public API).
# Extra Maven options (e.g. -o) can be given in MAVEN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
base="$(git rev-parse --verify "$1^{commit}")"
rounds="${2:-3}"
ops="${3:-10000000}"
processes="${4:-1}"
java="${JAVA25:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
build() {
    if ! "$@" >"$work/build.log" 2>&1; then
        cat "$work/build.log" >&2
        exit 1
    fi
}
build mvn -q -B -Dstyle.color=never ${MAVEN_ARGS:-} -DskipTests install
git worktree add -q --detach "$work/base" "$base"
build mvn -q -B -Dstyle.color=never ${MAVEN_ARGS:-} -f "$work/base/pom.xml" -DskipTests -Dmaven.install.skip=true \
    -pl annotations,runtime package
echo "locked increments per second, $ops per process, processes $processes: $(git rev-parse --short "$base") (base) and this checkout alternating"
for round in $(seq 1 "$rounds"); do
    for which in base this; do
        runtime="runtime/target/classes"
        if [ "$which" = base ]; then
            runtime="$work/base/runtime/target/classes"
        fi
        "$java" --enable-native-access=ALL-UNNAMED -Dcompare.processes="$processes" \
            -cp "benchmarks/target/classes:$runtime:test-support/target/classes:annotations/target/classes" \
            dev.sharedstruct.benchmarks.ProcessComparison "$ops" 2000 2>&1 \
            | sed -n '3,$p' | sed "s/^/round $round $which: /"
    done
done
