#!/bin/sh
# A minimal external heat worker in shell: curl against the fake Keystone and Heat, etcdctl
# against etcd. For every network Gohan writes it creates the stack network_<id>, polls it to
# a final status (the fake Heat counts polls: no sleeping) and reports it in /state.
set -eu

auth="{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"$OS_USERNAME\", \"domain\": {\"name\": \"$OS_USER_DOMAIN_NAME\"}, \"password\": \"$OS_PASSWORD\"}}}, \"scope\": {\"project\": {\"id\": \"$OS_PROJECT_ID\"}}}}"
token=$(curl -sS -D - -o /dev/null -H 'Content-Type: application/json' -d "$auth" "$OS_AUTH_URL/auth/tokens" \
    | tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p')
[ -n "$token" ] || { echo "no token from $OS_AUTH_URL" >&2; exit 1; }
template='{"heat_template_version": "2015-10-15", "parameters": {"name": {"type": "string"}}, "resources": {"net": {"type": "OS::Contrail::VirtualNetwork", "properties": {"name": {"get_param": "name"}}}}, "outputs": {"id": {"description": "A unique id for the network.", "value": {"get_resource": "net"}}}}'

# Say we are ready, then watch from the revision after that write: no Gohan write slips by.
revision=$(etcdctl put -w json /worker/ready yes | sed -n 's/.*"revision":\([0-9][0-9]*\).*/\1/p')
etcdctl watch --prefix --rev=$((revision + 1)) /config/v2.0/networks/ | while read -r event; read -r key; read -r value; do
    [ "$event" = PUT ] || continue
    id=${key##*/}
    curl -sS -o /dev/null -X POST -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
        -d "{\"stack_name\": \"network_$id\", \"template\": $template, \"parameters\": {\"name\": \"$id\"}, \"timeout_mins\": 3}" \
        "$HEATBED_HEAT_URL/stacks"
    status=CREATE_IN_PROGRESS
    while [ "${status%_IN_PROGRESS}" != "$status" ]; do
        status=$(curl -sS -L -H "X-Auth-Token: $token" "$HEATBED_HEAT_URL/stacks/network_$id" \
            | sed -n 's/.*"stack_status": *"\([A-Z_]*\)".*/\1/p')
    done
    etcdctl put "/state/v2.0/networks/$id" \
        "{\"error\": \"\", \"state\": {\"orchestration_state\": \"$status\"}, \"version\": 1}" >/dev/null
done
