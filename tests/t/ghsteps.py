#!/usr/bin/env python3
"""Helpers for t8000: read a GitHub composite action or workflow.

  ghsteps.py check-inputs FILE...   no ${{ }} expression inside any run:
  ghsteps.py script ACTION STEP_ID  print that step's run: script
  ghsteps.py env ACTION STEP_ID K=V...
                                    print that step's env: as NAME=VALUE
                                    lines, with ${{ inputs.X }} taken from
                                    K=V or the input's default, and every
                                    other expression from K=V
"""
import re
import sys

import yaml


def steps_of(doc):
    if "runs" in doc:
        yield from doc["runs"].get("steps", [])
    for job in (doc.get("jobs") or {}).values():
        yield from job.get("steps", [])


def check_inputs(paths):
    bad = 0
    for path in paths:
        doc = yaml.safe_load(open(path))
        for step in steps_of(doc):
            run = step.get("run")
            if run is not None and "${{" in run:
                print(f"{path}: step {step.get('name')!r}: expression "
                      f"inlined into run:", file=sys.stderr)
                bad += 1
    return 1 if bad else 0


def find_step(path, sid):
    doc = yaml.safe_load(open(path))
    for step in steps_of(doc):
        if step.get("id") == sid or step.get("name") == sid:
            return doc, step
    sys.exit(f"{path}: no step {sid!r}")


def expand(value, doc, given):
    def one(m):
        expr = m.group(1).strip()
        if expr in given:
            return given[expr]
        if expr.startswith("inputs."):
            name = expr[len("inputs."):]
            return str(doc["inputs"][name].get("default", ""))
        sys.exit(f"no value for expression {expr!r}")
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def main(argv):
    if argv[1] == "check-inputs":
        return check_inputs(argv[2:])
    doc, step = find_step(argv[2], argv[3])
    if argv[1] == "script":
        print(step["run"], end="")
        return 0
    given = dict(kv.split("=", 1) for kv in argv[4:])
    for k, v in (step.get("env") or {}).items():
        print(f"{k}={expand(v, doc, given)}")
    return 0


sys.exit(main(sys.argv))
