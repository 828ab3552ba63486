#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it: `cargo fmt --check`, clippy with warnings as
# errors, then every test. Snapshots are never written here: a missing or
# changed one fails with insta's diff. The container backend's image is built locally first
# (no registry needed), so the Docker tests run wherever Docker answers.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
if docker info >/dev/null 2>&1; then
    ci/build-etcd-image.sh
else
    echo "note: Docker does not answer; the container backend test will say SKIP (and fail under CI)" >&2
fi
# Lint first, as developers do before they commit: formatting and clippy's warnings fail CI.
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
export INSTA_UPDATE=no
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --no-fail-fast "$@" 2>&1 | tee "$log" || status=$?
# One closing line over every test binary (cargo prints one `test result` per binary).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
