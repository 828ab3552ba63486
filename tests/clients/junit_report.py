"""Reads a JUnit XML report with junitparser and prints what the test checks, as JSON."""

import json
import sys

from junitparser import Error, Failure, JUnitXml, SystemOut

xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    out = suite.child(SystemOut)
    suites.append({
        "name": suite.name,
        "tests": suite.tests,
        "failures": suite.failures,
        "errors": suite.errors,
        "time": suite.time,
        "properties": {p.name: p.value for p in suite.properties()},
        "system_out": out.text if out is not None else None,
        "cases": [{
            "name": case.name,
            "classname": case.classname,
            "passed": case.is_passed,
            "system_out": case.system_out,
            "results": [{
                "kind": "failure" if isinstance(r, Failure) else "error" if isinstance(r, Error) else "other",
                "message": r.message,
                "type": r.type,
                "text": r.text,
            } for r in case.result],
        } for case in suite],
    })
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "errors": xml.errors, "suites": suites}))
