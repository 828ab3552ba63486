#!/usr/bin/env python3
"""Drives a running system the way Gohan does, with etcdctl only (ETCDCTL_API=3,
ETCDCTL_ENDPOINTS set): creates, updates and deletes a network, a subnet and an existing ESE
device (three resource types of the catalogue; the device's template has a monitoring target,
so the collector writes `/monitoring/...` for it), waiting for the worker (and the collector)
between versions as Gohan does, writes one key no rule knows, then the sentinel key
`record --live --until-key` stops at.

    drive.py templates   # the heat templates and tenant the flow needs (before recording)
    drive.py flow SENTINEL
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "scenarios", "fixtures", "05_load_balancer")
TENANT = "fe3a4a1a72c04479bb6c19c2c0ccba4c"
NETWORK = "/v2.0/networks/0b9d1c7e-4a57-4c55-9a38-6f1d1a2b3c01"
SUBNET = "/v2.0/subnets/0b9d1c7e-4a57-4c55-9a38-6f1d1a2b3c02"
DEVICE = "/v2.0/ese_devices/0b9d1c7e-4a57-4c55-9a38-6f1d1a2b3c03"
POLLS = 600  # at most 600 polls of 50 ms per wait


def etcdctl(*args, value=None):
    done = subprocess.run(["etcdctl", *args], input=value, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"etcdctl {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def go_json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def gohan(path, body, version, marked=False):
    value = {"body": go_json(body), "marked_for_deletion": marked, "version": version}
    etcdctl("put", "/config" + path, value=go_json(value))


def wait_state(path, version, worker_state=None):
    for _ in range(POLLS):
        text = etcdctl("get", "/state" + path, "--print-value-only").strip()
        if text:
            state = json.loads(text)
            if state.get("version") == version and (
                worker_state is None or state["state"].get("worker_state") == worker_state
            ):
                # Gohan writes the next version only once the worker retired the job.
                if not etcdctl("get", "/jobs/all/", "--prefix", "--keys-only").strip():
                    return
        time.sleep(0.05)
    sys.exit(f"the worker never reported version {version} of {path}")


def wait_monitoring(path, version):
    """Waits for the collector's report on `path`'s monitoring target at `version`."""
    for _ in range(POLLS):
        text = etcdctl("get", "/monitoring" + path, "--print-value-only").strip()
        if text and json.loads(text).get("version") == version:
            return
        time.sleep(0.05)
    sys.exit(f"the collector never reported version {version} of {path}")


def wait_gone(key):
    for _ in range(POLLS):
        if not etcdctl("get", key, "--keys-only").strip():
            return
        time.sleep(0.05)
    sys.exit(f"{key} was never deleted")


def delete(path, version):
    gohan(path, BODIES[path], version, marked=True)
    wait_state(path, version, "DELETE_COMPLETED")
    etcdctl("del", "/config" + path)
    etcdctl("del", "/state" + path)
    # The worker forgets the resource and its monitoring target once Gohan deleted it.
    wait_gone("/esi-worker/config" + path)
    wait_gone("/monitoring" + path)


BODIES = {
    NETWORK: {
        "admin_state_up": True, "description": "live network", "id": NETWORK.rsplit("/")[-1],
        "name": "live-net", "orchestration_state": "CREATE_IN_PROGRESS", "plane": "data",
        "shared": False, "status": "PENDING_CREATE", "subnets": [], "tags": {},
        "tenant_id": TENANT,
    },
    SUBNET: {
        "allocation_pools": [{"end": "10.9.0.254", "start": "10.9.0.2"}], "cidr": "10.9.0.0/24",
        "description": "live subnet", "dhcp_server_address": "10.9.0.2", "dns_nameservers": [],
        "enable_dhcp": True, "gateway_ip": "10.9.0.1", "host_routes": [],
        "id": SUBNET.rsplit("/")[-1], "ip_version": 4, "name": "live-subnet",
        "network_id": NETWORK.rsplit("/")[-1], "ntp_servers": [],
        "orchestration_state": "CREATE_IN_PROGRESS", "status": "PENDING_CREATE", "tags": {},
        "tenant_id": TENANT,
    },
    # `existing` picks the `ese_device_existing` template (its `template_path`).
    DEVICE: {
        "existing": "existing", "hostname": "live-host", "id": DEVICE.rsplit("/")[-1],
        "management_ip_address": "10.9.0.10", "name": "live-device", "tenant_id": TENANT,
    },
}


def templates():
    for key in ["/config/v2.0/heat_templates/network", "/config/v2.0/heat_templates/subnet",
                "/config/v2.0/heat_templates/ese_device_existing",
                f"/config/common/v1.0/tenants/{TENANT}"]:
        name = "config_" + key.strip("/").split("/", 1)[1].replace("/", "_") + ".json"
        with open(os.path.join(FIXTURES, name)) as f:
            etcdctl("put", key, value=f.read())


def flow(sentinel):
    gohan(NETWORK, BODIES[NETWORK], 1)
    wait_state(NETWORK, 1)
    gohan(SUBNET, BODIES[SUBNET], 1)
    wait_state(SUBNET, 1)
    gohan(DEVICE, BODIES[DEVICE], 1)
    wait_state(DEVICE, 1)
    wait_monitoring(DEVICE, 1)
    BODIES[NETWORK]["description"] = "live network, updated"
    gohan(NETWORK, BODIES[NETWORK], 2)
    wait_state(NETWORK, 2)
    BODIES[DEVICE]["description"] = "live device, updated"
    gohan(DEVICE, BODIES[DEVICE], 2)
    wait_state(DEVICE, 2)
    wait_monitoring(DEVICE, 2)
    etcdctl("put", "/custom/live/flag", value="on")
    delete(DEVICE, 3)
    delete(SUBNET, 2)
    delete(NETWORK, 3)
    etcdctl("put", sentinel, value="done")


if __name__ == "__main__":
    if sys.argv[1] == "templates":
        templates()
    else:
        flow(sys.argv[2])
