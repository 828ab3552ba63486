"""Resolves HOT templates through Heat's own engine (openstack-heat, in process).

Reads a JSON list of cases on stdin, each {"name", "template", "parameters", "files",
"resources": {name: {"id", "properties"}}}, and prints a JSON list of results, each
{"create_error": message} or {"outputs": {key: {"value": v} | {"error": message}}}, the shape
the fake Heat's answers are reduced to.

Resources are stubs of type Heatbed::Stub standing for what the fake created: get_resource
answers the fake's physical id, get_attr the fake's rule for types it does not model (a
property of the same name, `show`, else "<physical id>/<attribute>[/<path>...]"), so what is
compared is the function evaluation, not a resource plugin.
"""
import json
import os
import traceback
import sys
import warnings

warnings.filterwarnings("ignore")

from heat.common import context  # noqa: E402
from heat.engine import attributes, environment, function, node_data, resource, resources  # noqa: E402
from heat.engine import stk_defn  # noqa: E402
from heat.engine.hot import functions as hot_functions  # noqa: E402
from heat.engine import stack as stack_mod  # noqa: E402
from heat.engine import template as template_mod  # noqa: E402

GLOBAL = environment.Environment({}, user_env=False)
resources._environment = GLOBAL  # no plugin loading: only the stub below exists
STUBS = {}


class Stub(resource.Resource):
    properties_schema = {}



class Attributes(dict):
    """A stub's attribute values, computed on demand by the fake's rule for unmodelled types."""

    def __init__(self, view):
        super().__init__()
        self.view = view

    def __getitem__(self, key):
        attr, path = (key[0], list(key[1:])) if isinstance(key, tuple) else (key, [])
        props = self.view["properties"]
        if attr in props:
            return attributes.select_from_attribute(props[attr], path)
        if attr == "show":
            return attributes.select_from_attribute(dict(props, id=self.view["id"]), path)
        return "/".join([self.view["id"], attr] + [str(p) for p in path])

    def items(self):
        return list(self.view["properties"].items())

    def __iter__(self):
        return iter(self.view["properties"])


GLOBAL.register_class("Heatbed::Stub", Stub)
CHECK_ATTRIBUTE = hot_functions.GetAttThenSelect.validate


def validate_get_attr(self):
    """Heat's check, except that a stub, like the fake's unmodelled types, has every attribute."""
    function.Function.validate(self)
    definition = getattr(self._resource(), "t", None)
    if getattr(definition, "resource_type", None) == "Heatbed::Stub":
        return
    CHECK_ATTRIBUTE(self)


hot_functions.GetAttThenSelect.validate = validate_get_attr
CONTEXT = context.RequestContext(user_id="u", project_id="p", is_admin=False)


def run(case):
    STUBS.clear()
    STUBS.update(case.get("resources") or {})
    raw = json.loads(json.dumps(case["template"]))
    for name, decl in (raw.get("resources") or {}).items():
        decl.pop("properties", None)
    env = environment.Environment({"parameters": case.get("parameters") or {}})
    try:
        tmpl = template_mod.Template(raw, files=case.get("files") or {}, env=env)
        tmpl.validate()
        stack = stack_mod.Stack(CONTEXT, case["name"], tmpl)
        stack.validate()
        for name, view in STUBS.items():
            if name in stack.resources:
                data = node_data.NodeData(None, name, None, view["id"], Attributes(view),
                                          "CREATE", "COMPLETE")
                stk_defn.update_resource_data(stack.defn, name, data)
        outputs = {}
        for key in (raw.get("outputs") or {}):
            try:
                outputs[key] = {"value": stack.outputs[key].get_value()}
            except Exception as error:  # noqa: BLE001 - Heat's own catch-all
                outputs[key] = {"error": str(error)}
        return {"outputs": outputs}
    except Exception as error:  # noqa: BLE001
        if os.environ.get("ORACLE_DEBUG"):
            traceback.print_exc()
        return {"create_error": str(error)}


def main():
    cases = json.load(sys.stdin)
    results = [run(case) for case in cases]
    json.dump(results, sys.stdout, default=repr)


if __name__ == "__main__":
    main()
