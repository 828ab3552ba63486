#!/bin/sh
# A tiny external worker for heatbed's env-contract scenario, written with etcdctl only.
# 1. It publishes the env contract it was started with under /worker/env.
# 2. It answers every Gohan write under /config/v2.0/ the way the recorded JobManager
#    answers a non-workable resource: /state/<path> = READ_COMPLETE at the config version.
set -eu

pairs=""
for name in HEATBED_ETCD_ENDPOINTS ETCDCTL_ENDPOINTS OS_AUTH_URL OS_USERNAME OS_PASSWORD \
    OS_PROJECT_ID OS_USER_DOMAIN_NAME OS_PROJECT_DOMAIN_NAME HEATBED_HEAT_URL \
    HEATBED_COLLECTOR_URL; do
    eval "value=\${$name:-<unset>}"
    pairs="$pairs${pairs:+, }\"$name\": \"$value\""
done
revision=$(etcdctl put -w json /worker/env "{$pairs}" | sed -n 's/.*"revision":\([0-9][0-9]*\).*/\1/p')

# Watch from the revision after our own write, so no Gohan write can slip by.
etcdctl watch --prefix --rev=$((revision + 1)) /config/v2.0/ | while read -r event; read -r key; read -r value; do
    [ "$event" = PUT ] || continue
    version=$(printf '%s' "$value" | sed -n 's/.*"version":\([0-9][0-9]*\).*/\1/p')
    etcdctl put "/state/${key#/config/}" \
        "{\"error\": \"\", \"state\": {\"worker_state\": \"READ_COMPLETE\"}, \"version\": $version}" >/dev/null
done
