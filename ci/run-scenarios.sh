#!/usr/bin/env bash
# The main job: every scenario in scenarios/ and scenarios/faults/ on embedded etcd, each
# checkpoint compared with its snapshot. Extra arguments go to `heatbed run` (e.g. --format json, --show).
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
exec cargo run --quiet -- run --etcd embedded scenarios scenarios/faults "$@"
