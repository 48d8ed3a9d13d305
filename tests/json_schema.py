#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Validates upcall_cost --json documents against docs/json-schema.json.

usage: json_schema.py SCHEMA FILE...       exit 0 if every FILE is valid
       json_schema.py --reject SCHEMA FILE  exit 0 if FILE is NOT valid

Besides the schema (python3-jsonschema, Draft 7), it checks what a schema
cannot say: strict JSON (no NaN/Infinity), quantiles in order, outliers
slowest first, and totals that must agree across sections.
"""
import json
import sys

import jsonschema


def strict_load(path):
    def reject(name):
        raise ValueError(f"{path}: {name} is not JSON")
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=reject)


def check_quantiles(q, where):
    keys = [k for k in ("min", "p50", "p90", "p99", "p99_9", "max")]
    if q["count"] == 0:
        assert all(q[k] is None for k in keys), where
        return
    vals = [q[k] for k in keys]
    assert vals == sorted(vals), f"{where}: quantiles out of order {vals}"


def check_run(run, where):
    for name, m in run["metrics"].items():
        check_quantiles(m["stats"], f"{where}.metrics.{name}")
        st = m["stats"]
        if st["count"]:
            assert st["min"] <= st["mean"] <= st["max"], f"{where}.{name}: mean"
    lat = [o["latency_us"] for o in run["outliers"]]
    assert lat == sorted(lat, reverse=True), f"{where}: outliers not slowest first"
    assert [o["rank"] for o in run["outliers"]] == list(range(1, len(lat) + 1))
    primary = run["metrics"][run["primary_metric"]]["stats"]
    if lat:
        assert lat[0] == primary["max"], f"{where}: top outlier is not the max"
    un = run["unmatched"]
    sets = run["sets"]
    assert un["kernel_upcalls"]["matched"] == sets
    assert un["kernel_upcalls"]["matched"] + un["kernel_upcalls"]["never_received"] \
        == un["kernel_upcalls"]["usable"], f"{where}: kernel upcalls do not add up"
    assert un["sets"]["count"] == sets
    dp = run["events"]["by_type"]["openvswitch__dp_upcall"]
    assert dp["usable"] == un["kernel_upcalls"]["usable"]
    assert dp["missed"] == un["kernel_upcalls"]["lost"]
    for section, rows in (("threads", run["threads"]["rows"]), ("ports", run["ports"]),
                          ("batches", run["batches"]["sizes"]),
                          ("intervals", run["intervals"]["rows"])):
        if sets:
            assert sum(r["matched"] for r in rows) == sets, f"{where}.{section}: matched"
        for i, r in enumerate(rows):
            check_quantiles(r["latency"], f"{where}.{section}[{i}]")
    assert sum(r["upcalls"] for r in run["ports"]) == dp["usable"]
    assert sum(r["upcalls"] for r in run["intervals"]["rows"]) == dp["usable"]
    assert sum(b["batches"] for b in run["batches"]["sizes"]) == run["batches"]["count"]


def valid(schema, path):
    doc = strict_load(path)
    jsonschema.Draft7Validator(schema).validate(doc)
    for i, run in enumerate(doc["runs"]):
        check_run(run, f"{path}: runs[{i}]")
    if doc["kind"] == "report":
        assert len(doc["runs"]) == 1, f"{path}: a report has one run"


def main(argv):
    reject = argv[1:2] == ["--reject"]
    args = argv[2:] if reject else argv[1:]
    with open(args[0], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    for path in args[1:]:
        try:
            valid(schema, path)
        except (jsonschema.ValidationError, AssertionError, ValueError, OSError) as e:
            msg = str(e).splitlines()[0] if str(e) else type(e).__name__
            if reject:
                continue
            print(f"{path}: {msg}")
            return 1
        if reject:
            print(f"{path}: accepted, but should not be")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
