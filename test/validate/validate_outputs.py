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
# OCI cost reports carry no account names, no list prices, no commitment-discount or
# capacity-reservation columns (usage within a Universal Credits commitment is only marked by
# an empty cost/myCostOverage), and every line is priced the same way.
OCI = NO_ACCOUNT_NAMES + ["COMMITMENT_DISCOUNT_SUPPORTED", "CAPACITY_RESERVATION_SUPPORTED"]
# The BigQuery export has no billing-account name (project names it has), carries commitment
# discounts only as credits inside rows (not modelled: documented limitation) and has no
# capacity reservations.
GCP = NO_ACCOUNT_NAMES + ["COMMITMENT_DISCOUNT_SUPPORTED", "CAPACITY_RESERVATION_SUPPORTED"]
# Azure cost details carry capacity reservations in AdditionalInfo.VMCapacityReservationId
# (the EA actual sample has one), so the default criteria plus ours apply in full. Legacy
# pay-as-you-go usage details name neither the subscription nor an account (only
# SubscriptionGuid), so a conversion of them cannot claim account naming.
AZURE_LEGACY = NO_ACCOUNT_NAMES

# FOCUS exports re-emitted as 1.2 carry what the vendor wrote, and nothing more. Rules that fail
# on the vendor's own values (passed through unchanged) or on columns added after the source's
# version are listed per case, each with its reason, in test/validate/source_gaps_*.csv; they
# are added to known_defects.csv for that case only. Every other failure is unexpected.
SOURCE_GAPS = {
    "focus-multi-1.0": "source_gaps_focus_multi.csv",
    "azure-focuscost-1.0": "source_gaps_azure_focuscost.csv",
    "azure-legacy-payg": "source_gaps_azure_legacy.csv",
}

# (name, to_focus arguments, criteria removed from the default). Every realistic vendor sample
# the extension reads belongs here; tiny hand-made fixtures that lack mandatory source columns
# are tested by the SQL tests instead.
CASES = [
    ("aws-cur1-csv", "'{s}/aws/cur1-csv/sample-anonymous-aws-export-dataset.csv', provider := 'aws'", NO_ACCOUNT_NAMES),
    ("aws-cur1-athena-parquet", "'{s}/aws/cur1-parquet-athena/', provider := 'aws'", NO_ACCOUNT_NAMES),
    ("aws-cur1-s3-layout", "'{s}/aws/cur1-s3-layout-SYNTHETIC/', provider := 'aws'", NO_ACCOUNT_NAMES),
    ("oci-cost-oracle", "'{s}/oci/cost-reports/reports_cost-csv_0000000030000269.csv', provider := 'oci'", OCI),
    ("oci-cost-koku", "'{s}/oci/cost-reports/reports_cost-csv_0001000000603747.csv', provider := 'oci'", OCI),
    ("gcp-standard-csv", "'{s}/gcp/bigquery-standard-flattened-csv/tmp_example.csv', provider := 'gcp'", GCP),
    ("gcp-detailed-csv", "'{s}/gcp/bigquery-detailed-flattened-csv/', provider := 'gcp'", GCP),
    ("gcp-fixture-parquet", "'{root}/test/data/gcp/export.parquet', provider := 'gcp'", GCP),
    # FOCUS in, FOCUS out: vendors' FOCUS 1.0 exports re-emitted as 1.2. Columns 1.1/1.2 added
    # are NULL where the source lacks them; FOCUS_*_GAPS say which criteria the data cannot meet.
    ("focus-multi-1.0", "'{s}/focus-multi/FOCUS-1.0_focus_sample.csv', provider := 'focus'", []),
    ("azure-focuscost-1.0", "'{s}/azure/focus/', provider := 'focus'", []),
    ("azure-ea-actual", "'{s}/azure/ea-cost-details/EA_ActualCost_Small.csv', provider := 'azure'", []),
    ("azure-ea-export", "'{s}/azure/ea-cost-details/sample-anonymous-ea-export-dataset.csv', provider := 'azure'", []),
    ("azure-mca-camel", "'{s}/azure/mca-cost-details/camel_v2.csv', provider := 'azure'", []),
    ("azure-legacy-payg", "'{s}/azure/legacy-usage-details/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv', provider := 'azure'", AZURE_LEGACY),
    # The merge of the EA actual sample with its hand-made amortized twin.
    # Savings plan purchase, usage, unused hours and a reservation refund (hand-made, both datasets).
    ("azure-sp-actual+amortized-SYNTHETIC", "'{root}/test/data/azure/SP_*_SYNTHETIC.csv', provider := 'azure'", []),
    ("azure-ea-actual+amortized-SYNTHETIC", "['{s}/azure/ea-cost-details/EA_ActualCost_Small.csv', '{root}/test/data/azure/EA_AmortizedCost_Small_SYNTHETIC.csv'], provider := 'azure'", []),
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
            if name in SOURCE_GAPS:
                here = os.path.dirname(os.path.abspath(__file__))
                known = os.path.join(tmp, f"{name}-known.csv")
                with open(known, "w") as k:
                    for i, f in enumerate(["known_defects.csv", SOURCE_GAPS[name]]):
                        lines = open(os.path.join(here, f)).read().splitlines()
                        k.write("\n".join(lines if i == 0 else lines[1:]) + "\n")
                cmd += ["--known", known]
            rc = subprocess.call(cmd)
            if rc != 0:
                failures.append((name, rc))
    for name, rc in failures:
        print(f"FAIL {name}: focus_validate.py exited {rc}")
    print(f"{len(CASES) - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
