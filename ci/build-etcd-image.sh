#!/usr/bin/env bash
# Builds the etcd container image heatbed's container backend uses, without any registry:
# FROM scratch, holding /usr/bin/etcd from the Debian package and the libraries ldd names.
# Usage: ci/build-etcd-image.sh [IMAGE]   (default: $HEATBED_ETCD_IMAGE or heatbed-etcd:3.4.23)
set -euo pipefail

image=${1:-${HEATBED_ETCD_IMAGE:-heatbed-etcd:3.4.23}}
etcd_bin=${ETCD_BIN:-/usr/bin/etcd}

if docker image inspect "$image" >/dev/null 2>&1; then
    echo "image $image exists"
    exit 0
fi
[ -x "$etcd_bin" ] || { echo "error: $etcd_bin not found (apt-get install etcd-server)" >&2; exit 1; }

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/rootfs/usr/bin" "$context/rootfs/tmp"
cp "$etcd_bin" "$context/rootfs/usr/bin/etcd"
# Every library the dynamic linker resolves, plus the loader itself, at the same paths.
ldd "$etcd_bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | while read -r lib; do
    mkdir -p "$context/rootfs$(dirname "$lib")"
    cp -L "$lib" "$context/rootfs$lib"
done
cat > "$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
EXPOSE 2379
ENTRYPOINT ["/usr/bin/etcd"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build --quiet --tag "$image" "$context" >/dev/null 2>&1 || docker build --tag "$image" "$context"
echo "built image $image"
