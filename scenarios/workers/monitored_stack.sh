#!/bin/sh
# A tiny external worker for heatbed's monitoring scenario, in shell with curl and etcdctl.
# For every Gohan write of a load balancer interface it creates (v1) or updates (later
# versions) a Heat stack holding an ESI::Monitoring::MonitoringTarget, polls it to
# *_COMPLETE, then writes /state/<path> with the monitoring target id Heat reports.
set -eu

token=$(curl -sf -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"$OS_USERNAME\", \"domain\": {\"name\": \"$OS_USER_DOMAIN_NAME\"}, \"password\": \"$OS_PASSWORD\"}}}, \"scope\": {\"project\": {\"id\": \"$OS_PROJECT_ID\"}}}}" \
    "$OS_AUTH_URL/auth/tokens" | tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *//p')

heat() { # method path [body]
    curl -sf -X "$1" -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
        ${3:+-d "$3"} "$HEATBED_HEAT_URL$2"
}

template() { # the load_balancer_interface template of the recorded run, as JSON
    cat <<JSON
{"heat_template_version": "2013-05-23", "description": "Load Balancer Interface",
 "parameters": {"gohan_id": {"type": "string"}, "tenant_id": {"type": "string"}, "version": {"type": "number"}},
 "resources": {"lb_interface_monitor": {"type": "ESI::Monitoring::MonitoringTarget", "properties": {
   "type": "snmp_ports", "resource_type": "load_balancer_interfaces",
   "resource_id": {"get_param": "gohan_id"}, "field_name": "interface",
   "tenant_id": {"get_param": "tenant_id"}, "version": {"get_param": "version"},
   "properties": {"device_ip": "100.64.193.3", "if_name": "1/1", "community_name": "LOAD_BALANCER_COMMUNITY"},
   "syncer_properties": {"etcd": {"status": {"key": "interface"}}}}}},
 "outputs": {"monitoring_target_id": {"description": "Monitoring Target ID", "value": {"get_resource": "lb_interface_monitor"}},
   "monitoring_link": {"description": "Monitoring Process Link", "value": {"get_attr": ["lb_interface_monitor", "link"]}}}}
JSON
}

# Watch from the revision after our own ready mark, so no Gohan write can slip by.
revision=$(etcdctl put -w json /worker/ready '"monitored_stack.sh"' |
    sed -n 's/.*"revision":\([0-9][0-9]*\).*/\1/p')
etcdctl watch --prefix --rev=$((revision + 1)) /config/v2.0/load_balancer_interfaces/ |
while read -r event; read -r key; read -r value; do
    [ "$event" = PUT ] || continue
    id=${key##*/}
    version=$(printf '%s' "$value" | sed -n 's/.*"version":\([0-9][0-9]*\).*/\1/p')
    params="{\"gohan_id\": \"$id\", \"tenant_id\": \"$OS_PROJECT_ID\", \"version\": $version}"
    name="load_balancer_interface_$id"
    if [ "$version" = 1 ]; then
        stack=$(heat POST /stacks "{\"stack_name\": \"$name\", \"template\": $(template), \"parameters\": $params}" |
            sed -n 's/.*"id": *"\([^"]*\)".*/\1/p')
        done_status=CREATE_COMPLETE
    else
        heat PUT "/stacks/$name/$stack" "{\"template\": $(template), \"parameters\": $params}" >/dev/null
        done_status=UPDATE_COMPLETE
    fi
    until shown=$(heat GET "/stacks/$name/$stack") && printf '%s' "$shown" | grep -q "\"$done_status\""; do :; done
    target=$(printf '%s' "$shown" | tr '{' '\n' | grep '"monitoring_target_id"' |
        sed -n 's/.*"output_value": *"\([^"]*\)".*/\1/p')
    etcdctl put "/state/v2.0/load_balancer_interfaces/$id" \
        "{\"error\": \"\", \"state\": {\"monitoring_target_id\": \"$target\", \"orchestration_state\": \"$done_status\"}, \"version\": $version}" >/dev/null
done
