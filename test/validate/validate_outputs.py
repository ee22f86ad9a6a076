#!/usr/bin/env python3
"""Writes the FOCUS 1.2 output of every sample the extension converts to Parquet and runs the
official validator on each (through focus_validate.py). Exit 1 if any file has an unexpected
failure. Part of `make test`.
"""
import argparse
import os
import shlex
import subprocess
import sys
import tempfile

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.environ.get("FOCUS_SAMPLES", os.path.join(ROOT, "..", "shared", "samples"))

# Our outputs carry the commitment and capacity-reservation columns, so their rules apply too.
EXTRA_CRITERIA = ["COMMITMENT_DISCOUNT_SUPPORTED", "CAPACITY_RESERVATION_SUPPORTED", "USAGE_MEASUREMENT_SUPPORTED"]
# CUR 1.0 has no account names (CUR 2.0 added bill_payer_account_name and
# line_item_usage_account_name), so a conversion of it cannot claim account naming.
NO_ACCOUNT_NAMES = ["ACCOUNT_NAMING_SUPPORTED"]
NO_CAPACITY = ["CAPACITY_RESERVATION_SUPPORTED"]

# (name, to_focus arguments, criteria removed from the default). Every realistic vendor sample
# the extension reads belongs here; tiny hand-made fixtures that lack mandatory source columns
# are tested by the SQL tests instead.
CASES = [
    ("aws-cur1-csv", "'{s}/aws/cur1-csv/sample-anonymous-aws-export-dataset.csv', provider := 'aws'", NO_ACCOUNT_NAMES),
    ("aws-cur1-athena-parquet", "'{s}/aws/cur1-parquet-athena/', provider := 'aws'", NO_ACCOUNT_NAMES),
    ("aws-cur1-s3-layout", "'{s}/aws/cur1-s3-layout-SYNTHETIC/', provider := 'aws'", NO_ACCOUNT_NAMES),
    # Azure cost details carry no capacity reservation data (Microsoft reads it from
    # AdditionalInfo.VMCapacityReservationId, which none of the samples has).
    ("azure-ea-actual", "'{s}/azure/ea-cost-details/EA_ActualCost_Small.csv', provider := 'azure'", NO_CAPACITY),
    ("azure-ea-export", "'{s}/azure/ea-cost-details/sample-anonymous-ea-export-dataset.csv', provider := 'azure'", NO_CAPACITY),
    ("azure-mca-camel", "'{s}/azure/mca-cost-details/camel_v2.csv', provider := 'azure'", NO_CAPACITY),
    ("azure-legacy-payg", "'{s}/azure/legacy-usage-details/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv', provider := 'azure'", NO_CAPACITY),
    # The merge of the EA actual sample with its hand-made amortized twin.
    ("azure-ea-actual+amortized-SYNTHETIC", "['{s}/azure/ea-cost-details/EA_ActualCost_Small.csv', '{root}/test/data/azure/EA_AmortizedCost_Small_SYNTHETIC.csv'], provider := 'azure'", NO_CAPACITY),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", required=True)
    ap.add_argument("--validate", required=True, help="the harness command (make's $(FOCUS_VALIDATE))")
    ap.add_argument("--only", default=None, help="run only cases whose name contains this")
    a = ap.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from focus_validate import DEFAULT_CRITERIA  # noqa: E402

    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"LOAD '{os.path.abspath(a.ext)}'")
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, args, without in CASES:
            if a.only and a.only not in name:
                continue
            src = args.format(s=os.path.abspath(SAMPLES), root=ROOT)
            pattern = src.split("'")[1]
            if not any(c in pattern for c in "*?[") and not os.path.exists(pattern):
                print(f"SKIP {name}: {pattern} not found")
                continue
            out = os.path.join(tmp, f"{name}.parquet")
            con.execute(f"COPY (SELECT * FROM to_focus({src}, focus_version := '1.2')) TO '{out}' (FORMAT parquet)")
            rows = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchall()[0][0]
            print(f"== {name}: {rows} FOCUS 1.2 rows", flush=True)
            criteria = [c for c in DEFAULT_CRITERIA + EXTRA_CRITERIA if c not in without]
            cmd = shlex.split(a.validate) + [out, "--criteria", ",".join(criteria)]
            rc = subprocess.call(cmd)
            if rc != 0:
                failures.append((name, rc))
    for name, rc in failures:
        print(f"FAIL {name}: focus_validate.py exited {rc}")
    print(f"{len(CASES) - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
