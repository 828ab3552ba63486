"""Drives heatbed's fake Heat and Keystone with real OpenStack clients.

Run by tests/heat_clients.rs with the OS_* variables set and OPENSTACK pointing at the
`openstack` CLI of the same venv. Prints one line per check; exits non-zero on the first failure.
"""
import json
import os
import subprocess
import sys
import tempfile

import openstack
from openstack import exceptions

TEMPLATE = """heat_template_version: '2015-10-15'
description: heatbed client test
parameters:
  name: {type: string}
  version: {type: number, default: 1}
resources:
  monitor:
    type: ESI::Monitoring::MonitoringTarget
    properties:
      resource_id: {get_param: name}
      version: {get_param: version}
outputs:
  target_id:
    description: Monitoring Target ID
    value: {get_resource: monitor}
  label:
    value: {str_replace: {template: N-V, params: {N: {get_param: name}, V: {get_param: version}}}}
"""


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (": " + str(detail) if detail and not ok else ""))
    if not ok:
        sys.exit(1)


def cli(*args, fail=False):
    result = subprocess.run([os.environ["OPENSTACK"], *args], capture_output=True, text=True)
    if fail:
        check("cli fails: " + " ".join(args), result.returncode != 0, result.stdout)
        return result.stderr
    check("cli: " + " ".join(args), result.returncode == 0, result.stderr)
    if "json" not in args:
        return result.stdout
    # --wait prints the events it saw before the JSON document.
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(("{", "[")))
    return json.loads("\n".join(lines[start:]))


def sdk():
    conn = openstack.connect()
    orch = conn.orchestration
    template = openstack.config.loader.yaml.safe_load(TEMPLATE)
    stack = orch.create_stack(name="sdk_stack", template=template, parameters={"name": "sdk"})
    check("sdk create", stack.id is not None)
    orch.wait_for_status(stack, "CREATE_COMPLETE", failures=["CREATE_FAILED"], interval=0.05, wait=10)
    shown = orch.get_stack(stack.id)
    outputs = {o["output_key"]: o["output_value"] for o in shown.outputs}
    check("sdk show outputs", outputs.get("label") == "sdk-1", shown.outputs)
    check("sdk find by name", orch.find_stack("sdk_stack").id == stack.id)
    orch.update_stack(shown, template=template, parameters={"name": "sdk", "version": 2})
    orch.wait_for_status(shown, "UPDATE_COMPLETE", failures=["UPDATE_FAILED"], interval=0.05, wait=10)
    shown = orch.get_stack(stack.id)
    outputs = {o["output_key"]: o["output_value"] for o in shown.outputs}
    check("sdk update", outputs.get("label") == "sdk-2", shown.outputs)
    names = [s.name for s in orch.stacks()]
    check("sdk list", "sdk_stack" in names, names)
    cloud = conn.get_stack("sdk_stack")
    check("cloud layer get_stack", cloud is not None and cloud["stack_status"] == "UPDATE_COMPLETE", cloud)
    try:
        orch.create_stack(name="sdk_stack", template=template, parameters={"name": "again"})
        check("sdk duplicate is a conflict", False)
    except exceptions.ConflictException as e:
        check("sdk duplicate is a conflict", "already exists" in str(e), e)
    try:
        orch.create_stack(name="sdk_bad", template=template, parameters={"name": "x", "bogus": 1})
        check("sdk undeclared parameter is a 400", False)
    except exceptions.BadRequestException as e:
        check("sdk undeclared parameter is a 400", "(bogus) was not defined" in str(e), e)
    try:
        orch.get_stack("no_such_stack")
        check("sdk unknown stack is not found", False)
    except exceptions.NotFoundException:
        check("sdk unknown stack is not found", True)
    orch.delete_stack(shown)
    orch.wait_for_delete(shown, interval=0.05, wait=10)
    check("sdk delete", orch.find_stack("sdk_stack") is None)
    check("cloud layer sees it gone", conn.get_stack("sdk_stack") is None)


def osc():
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(TEMPLATE)
    created = cli("stack", "create", "-t", f.name, "--parameter", "name=cli", "--wait", "cli_stack", "-f", "json")
    check("cli create --wait", created["stack_status"] == "CREATE_COMPLETE", created)
    shown = cli("stack", "show", "cli_stack", "-f", "json")
    check("cli show parameters", shown["parameters"]["version"] == "1", shown["parameters"])
    output = cli("stack", "output", "show", "cli_stack", "label", "-f", "json")
    check("cli output show", output["output_value"] == "cli-1", output)
    outputs = cli("stack", "output", "list", "cli_stack", "-f", "json")
    check("cli output list", sorted(o["output_key"] for o in outputs) == ["label", "target_id"], outputs)
    template = cli("stack", "template", "show", "cli_stack", "-f", "json")
    check("cli template show", template["description"] == "heatbed client test", template)
    updated = cli("stack", "update", "-t", f.name, "--parameter", "name=cli", "--parameter", "version=5",
                  "--wait", "cli_stack", "-f", "json")
    check("cli update --wait", updated["stack_status"] == "UPDATE_COMPLETE", updated)
    output = cli("stack", "output", "show", "cli_stack", "label", "-f", "json")
    check("cli output after update", output["output_value"] == "cli-5", output)
    listed = cli("stack", "list", "-f", "json")
    check("cli list", [s["Stack Name"] for s in listed] == ["cli_stack"], listed)
    events = cli("stack", "event", "list", "cli_stack", "-f", "json")
    check("cli event list", len(events) >= 4, events)
    err = cli("stack", "create", "-t", f.name, "--parameter", "name=x", "cli_stack", fail=True)
    check("cli duplicate message", "already exists" in err, err)
    err = cli("stack", "create", "-t", f.name, "cli_other", fail=True)
    check("cli missing parameter message", "(name) was not provided" in err, err)
    err = cli("stack", "show", "no_such_stack", fail=True)
    check("cli unknown stack message", "not found" in err.lower(), err)
    cli("stack", "delete", "--yes", "--wait", "cli_stack")
    err = cli("stack", "show", "cli_stack", fail=True)
    check("cli deleted stack is gone by name", "not found" in err.lower(), err)


def osc_get_file():
    """heatclient sends the files get_file names in the request's `files` map."""
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "script.sh"), "w") as f:
            f.write("#!/bin/sh\necho heatbed\n")
        path = os.path.join(folder, "files.yaml")
        with open(path, "w") as f:
            f.write("heat_template_version: 2016-10-14\n"
                    "outputs:\n  script: {value: {get_file: script.sh}}\n")
        created = cli("stack", "create", "-t", path, "--wait", "file_stack", "-f", "json")
        check("cli create with get_file", created["stack_status"] == "CREATE_COMPLETE", created)
        output = cli("stack", "output", "show", "file_stack", "script", "-f", "json")
        check("cli get_file output", output["output_value"] == "#!/bin/sh\necho heatbed\n", output)
        cli("stack", "delete", "--yes", "--wait", "file_stack")


if __name__ == "__main__":
    sdk()
    osc()
    osc_get_file()
    print("all client checks passed")
