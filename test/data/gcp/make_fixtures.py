#!/usr/bin/env python3
"""Builds the Google Cloud fixtures: the Cloud Billing BigQuery export as it leaves BigQuery
(newline-delimited JSON and Parquet, with the nested records and arrays), from real rows of
the Koku samples plus a few hand-made rows for what the samples lack (credits, tags, project
ancestry, tax, an adjustment, cost_at_list, the detailed export's resource and price records);
and the same rows once more in the flattened CSV form the samples come in (export.csv: dotted
headers, repeated fields as Python reprs, Koku's timestamps), so the three forms can be
compared value for value.

Deterministic: run it again and the files are byte-identical (no clocks, no randomness).
Needs the `duckdb` Python package:  python3 test/data/gcp/make_fixtures.py
"""
import ast
import csv
import json
import os

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.environ.get("FOCUS_SAMPLES", os.path.join(HERE, "..", "..", "..", "..", "shared", "samples"))
STANDARD = os.path.join(SAMPLES, "gcp", "bigquery-standard-flattened-csv", "tmp_example.csv")
DETAILED = os.path.join(SAMPLES, "gcp", "bigquery-detailed-flattened-csv", "2022-08-01_5.csv")

REPEATED = {"credits", "labels", "system_labels", "project.labels"}
FLOATS = {"cost", "currency_conversion_rate", "usage.amount", "usage.amount_in_pricing_units"}
TIMES = {"usage_start_time", "usage_end_time", "export_time"}


def bq_time(s):
    """Koku's `2020-10-01 20:00:00+00:00` in BigQuery's JSON form `2020-10-01 20:00:00 UTC`."""
    assert s.endswith("+00:00"), s
    return s[: -len("+00:00")] + " UTC"


def nested(flat):
    """A flattened Koku row back in BigQuery's nested shape."""
    row = {}
    for k, v in flat.items():
        if k == "partition_date":  # Koku's own column, not Google's
            continue
        if k in REPEATED:
            v = ast.literal_eval(v) if v else []
        elif v == "":
            v = None
        elif k in FLOATS:
            v = float(v)
        elif k in TIMES:
            v = bq_time(v)
        if "." in k:
            root, sub = k.split(".", 1)
            row.setdefault(root, {})[sub] = v
        else:
            row[k] = v
    return row


def sample_rows():
    with open(STANDARD, newline="") as f:
        rows = list(csv.DictReader(f))
    # The first 6 rows, then every row that carries labels, system labels or project labels
    # (up to 6 of them): real shapes of every repeated field the sample has.
    picked = rows[:6] + [r for r in rows[6:] if r["labels"] != "[]" or r["system_labels"] != "[]" or r["project.labels"] != "[]"][:6]
    out = [nested(r) for r in picked]
    with open(DETAILED, newline="") as f:
        out += [nested(r) for r in list(csv.DictReader(f))[:2]]
    return out


def hand_made(base):
    """Rows for what the samples lack, built on a real row's shape (values are made up)."""
    def row(**kw):
        r = json.loads(json.dumps(base))
        for k, v in kw.items():
            r[k] = v
        return r

    return [
        # Usage with two credits (a sustained use discount and a free-tier credit) and a list price.
        row(cost=1.25, cost_at_list=1.5, credits=[
            {"name": "Sustained usage discount", "amount": -0.25, "full_name": None, "id": "sud-1", "type": "SUSTAINED_USAGE_DISCOUNT"},
            {"name": "Free tier", "amount": -0.125, "full_name": None, "id": "ft-1", "type": "FREE_TIER"},
        ], labels=[{"key": "env", "value": "prod"}], system_labels=[{"key": "compute.googleapis.com/cores", "value": "2"}],
            project={**base["project"], "number": "123456789012", "labels": [{"key": "team", "value": "data"}],
                     "ancestry_numbers": "/111111111111/123456789012/",
                     "ancestors": [{"resource_name": "projects/123456789012", "display_name": "test-project-alias"},
                                   {"resource_name": "organizations/111111111111", "display_name": "example.com"}]},
            tags=[{"key": "123/cost-center", "value": "cc-42", "inherited": True, "namespace": "123"},
                  {"key": "123/env", "value": "prod", "inherited": False, "namespace": "123"}]),
        # Tax for the month.
        row(cost=0.1, cost_type="tax", sku={"id": None, "description": None}, usage={"amount": None, "unit": None, "amount_in_pricing_units": None, "pricing_unit": None}, credits=[]),
        # An adjustment correcting an earlier invoice.
        row(cost=-0.05, cost_type="adjustment", credits=[],
            adjustment_info={"id": "adj-1", "description": "Billing correction", "mode": "MANUAL_ADJUSTMENT", "type": "GENERAL_ADJUSTMENT"}),
        # The detailed export's resource and price records.
        row(cost=0.5, credits=[], resource={"name": "instance-1", "global_name": "//compute.googleapis.com/projects/p/zones/us-central1-a/instances/123"},
            price={"effective_price": 0.01, "tier_start_amount": 0.0, "unit": "hour", "pricing_unit_quantity": 1.0}),
    ]


# BigQuery's schema of the fields above, so the Parquet file has real STRUCTs and LISTs.
KV = "STRUCT(key VARCHAR, value VARCHAR)[]"
COLUMNS = {
    "billing_account_id": "VARCHAR",
    "service": "STRUCT(id VARCHAR, description VARCHAR)",
    "sku": "STRUCT(id VARCHAR, description VARCHAR)",
    "usage_start_time": "VARCHAR",
    "usage_end_time": "VARCHAR",
    "project": f"STRUCT(id VARCHAR, number VARCHAR, name VARCHAR, labels {KV}, ancestry_numbers VARCHAR, "
               "ancestors STRUCT(resource_name VARCHAR, display_name VARCHAR)[])",
    "labels": KV,
    "system_labels": KV,
    "location": "STRUCT(location VARCHAR, country VARCHAR, region VARCHAR, zone VARCHAR)",
    "tags": "STRUCT(key VARCHAR, value VARCHAR, inherited BOOLEAN, namespace VARCHAR)[]",
    "export_time": "VARCHAR",
    "cost": "DOUBLE",
    "currency": "VARCHAR",
    "currency_conversion_rate": "DOUBLE",
    "usage": "STRUCT(amount DOUBLE, unit VARCHAR, amount_in_pricing_units DOUBLE, pricing_unit VARCHAR)",
    "credits": "STRUCT(name VARCHAR, amount DOUBLE, full_name VARCHAR, id VARCHAR, type VARCHAR)[]",
    "invoice": "STRUCT(month VARCHAR)",
    "cost_type": "VARCHAR",
    "adjustment_info": "STRUCT(id VARCHAR, description VARCHAR, mode VARCHAR, type VARCHAR)",
    "cost_at_list": "DOUBLE",
    "resource": "STRUCT(name VARCHAR, global_name VARCHAR)",
    "price": "STRUCT(effective_price DOUBLE, tier_start_amount DOUBLE, unit VARCHAR, pricing_unit_quantity DOUBLE)",
}


def flattened(row):
    """A nested row in Koku's flattened CSV form: `record.field` keys, lists as Python reprs."""
    out = {}
    for k, v in row.items():
        if isinstance(v, dict):
            for sub, sv in v.items():
                out[f"{k}.{sub}"] = sv
        else:
            out[k] = v
    for k, v in out.items():
        if v is None:
            out[k] = ""
        elif isinstance(v, list):
            out[k] = repr(v)
        elif k in TIMES:
            out[k] = v[: -len(" UTC")] + "+00:00"
        else:
            out[k] = str(v)
    return out


def write_csv(rows, path):
    flat = [flattened(r) for r in rows]
    header = []
    for r in flat:
        header += [k for k in r if k not in header]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(flat)


def main():
    rows = sample_rows()
    rows += hand_made(rows[0])
    nd = os.path.join(HERE, "export.ndjson")
    with open(nd, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    write_csv(rows, os.path.join(HERE, "export.csv"))
    con = duckdb.connect()
    cols = ", ".join(f"'{k}': '{v}'" for k, v in COLUMNS.items())
    ts = lambda c: f"CAST(replace({c}, ' UTC', '+00:00') AS TIMESTAMPTZ) AS {c}"
    con.execute(
        f"""COPY (SELECT * REPLACE ({ts('usage_start_time')}, {ts('usage_end_time')}, {ts('export_time')})
                  FROM read_json('{nd}', format = 'newline_delimited', columns = {{{cols}}}))
            TO '{os.path.join(HERE, "export.parquet")}' (FORMAT parquet)"""
    )
    # Error fixtures: an export without `cost`, and a line that is not JSON.
    with open(os.path.join(HERE, "missing_cost.ndjson"), "w") as f:
        for r in rows[:2]:
            f.write(json.dumps({k: v for k, v in r.items() if k != "cost"}) + "\n")
    # A flattened CSV whose second row has a credit amount that is not a number.
    bad = [flattened(r) for r in rows[:2]]
    bad[1]["credits"] = "[{'name': 'x', 'amount': 'ten', 'full_name': None, 'id': 'c', 'type': 'PROMOTION'}]"
    with open(os.path.join(HERE, "bad_credit.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(bad[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(bad)
    with open(os.path.join(HERE, "bad_line.ndjson"), "w") as f:
        f.write(json.dumps(rows[0]) + "\n" + json.dumps(rows[1]) + "\n" + '{"billing_account_id": "x", "cost": 1.0,\n')


if __name__ == "__main__":
    main()
