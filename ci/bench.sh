#!/usr/bin/env bash
# Reruns the benchmarks whose figures benches/README.md records (release build): the
# isolation costs, then the scale suite (golden suite against its floor, generated flows of
# 10 to 10,000 resources, the fake Heat against bare hyper, the recorder's overhead).
# Arguments go to the scale bench: `ci/bench.sh flows --max 1000` runs only the flows up to
# 1,000 resources. Timings are printed, never checked: CI does not gate on them.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "$#" -eq 0 ]; then
    cargo bench --bench isolation
fi
cargo bench --bench scale -- "$@"
