#!/usr/bin/env python3
"""`make demo`: the main job on the bundled sample data.

Loads the extension into Python duckdb, converts the AWS Cost and Usage Report samples to FOCUS
1.2 and shows what a FinOps engineer looks at first: cost by service category and by charge
category, and that the totals reconcile with the raw files. Then the Azure, Google Cloud and
Oracle Cloud samples join them in one FOCUS 1.2 table, and vendors' own FOCUS exports after.
"""
import argparse
import os
import sys

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SAMPLES = os.environ.get("FOCUS_SAMPLES", os.path.join(ROOT, "..", "shared", "samples"))


def show(con, title, sql):
    print(f"\n== {title}")
    rel = con.sql(sql)
    print(rel)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", default=os.path.join(ROOT, "build", "release", "focus.duckdb_extension"))
    a = ap.parse_args()
    if not os.path.isdir(SAMPLES):
        sys.exit(f"demo: sample data not found at {SAMPLES} (set FOCUS_SAMPLES)")

    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"LOAD '{os.path.abspath(a.ext)}'")
    con.execute("SET TimeZone = 'UTC'")
    print(con.execute("SELECT extension_version, focus_versions FROM focus_version()").fetchall())

    show(con, "The FOCUS catalogue: columns per version and feature level",
         """SELECT version, count(*) AS columns,
                   count(*) FILTER (WHERE feature_level = 'Mandatory') AS mandatory
            FROM (FROM focus_columns('1.0') UNION ALL FROM focus_columns('1.1') UNION ALL
                  FROM focus_columns('1.2') UNION ALL FROM focus_columns('1.3') UNION ALL
                  FROM focus_columns('1.4'))
            GROUP BY version ORDER BY version""")

    aws = os.path.join(SAMPLES, "aws")
    con.execute(f"""CREATE TEMP VIEW focus_aws AS
        SELECT * FROM to_focus(['{aws}/cur1-csv/sample-anonymous-aws-export-dataset.csv',
                                '{aws}/cur1-parquet-athena/'], provider := 'aws')""")

    show(con, "AWS (real CUR 1.0 CSV + two months of Athena Parquet) as FOCUS 1.2: cost by ServiceCategory",
         """SELECT ServiceCategory, count(*) AS rows, round(sum(BilledCost), 2) AS billed,
                   round(sum(EffectiveCost), 2) AS effective, round(sum(ListCost), 2) AS list
            FROM focus_aws GROUP BY ALL ORDER BY effective DESC""")

    show(con, "By ChargeCategory and month",
         """SELECT strftime(BillingPeriodStart, '%Y-%m') AS month, ChargeCategory, count(*) AS rows,
                   round(sum(BilledCost), 4) AS billed, round(sum(EffectiveCost), 4) AS effective
            FROM focus_aws GROUP BY ALL ORDER BY ALL""")

    show(con, "No dollar lost: FOCUS totals against the raw files read with DuckDB's own readers",
         f"""SELECT (SELECT count(*) FROM focus_aws) AS focus_rows,
                    (SELECT count(*) FROM read_csv('{aws}/cur1-csv/sample-anonymous-aws-export-dataset.csv', all_varchar=true))
                  + (SELECT count(*) FROM read_parquet('{aws}/cur1-parquet-athena/*/*/*.parquet', union_by_name=true)) AS raw_rows,
                    (SELECT sum(BilledCost) FROM focus_aws) AS focus_billed,
                    (SELECT sum("lineItem/UnblendedCost"::DECIMAL(38,18)) FROM read_csv('{aws}/cur1-csv/sample-anonymous-aws-export-dataset.csv', all_varchar=true))
                  + (SELECT sum(line_item_unblended_cost::VARCHAR::DECIMAL(38,18)) FROM read_parquet('{aws}/cur1-parquet-athena/*/*/*.parquet', union_by_name=true)) AS raw_unblended""")

    # Every raw format the extension converts, in one FOCUS 1.2 table: AWS CUR, Azure cost details
    # (the EA actual sample merged with its SYNTHETIC amortized twin, as Microsoft's conversion
    # does), the Google Cloud BigQuery export and Oracle Cloud cost reports.
    az = os.path.join(SAMPLES, "azure")
    twin = os.path.join(ROOT, "test", "data", "azure", "EA_AmortizedCost_Small_SYNTHETIC.csv")
    gcp = os.path.join(SAMPLES, "gcp")
    oci = os.path.join(SAMPLES, "oci", "cost-reports")
    con.execute(f"""CREATE TEMP VIEW focus_raw AS
        SELECT * FROM focus_aws
        UNION ALL BY NAME SELECT * FROM to_focus(['{az}/ea-cost-details/EA_ActualCost_Small.csv', '{twin}'], provider := 'azure')
        UNION ALL BY NAME SELECT * FROM to_focus(['{az}/mca-cost-details/camel_v2.csv',
                                                  '{az}/legacy-usage-details/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv'], provider := 'azure')
        UNION ALL BY NAME SELECT * FROM to_focus(['{gcp}/bigquery-standard-flattened-csv/tmp_example.csv',
                                                  '{gcp}/bigquery-detailed-flattened-csv/'], provider := 'gcp')
        UNION ALL BY NAME SELECT * FROM to_focus('{oci}/*.csv', provider := 'oci')""")

    show(con, "AWS, Azure, Google Cloud and Oracle Cloud raw exports as one FOCUS 1.2 table (UNION ALL BY NAME of to_focus calls)",
         """SELECT ProviderName, BillingCurrency, count(*) AS rows, round(sum(BilledCost), 4) AS billed,
                   round(sum(EffectiveCost), 4) AS effective, count(DISTINCT ServiceCategory) AS categories
            FROM focus_raw GROUP BY ALL ORDER BY ProviderName, BillingCurrency""")

    show(con, "Azure: every amortized row plus the actual commitment purchases; BilledCost = invoice, EffectiveCost = amortized",
         """SELECT x_SourceDataset, ChargeCategory, CommitmentDiscountStatus, count(*) AS rows,
                   sum(BilledCost) AS billed, sum(EffectiveCost) AS effective
            FROM focus_raw WHERE ProviderName = 'Microsoft' AND x_CostBasis = 'actual+amortized'
            GROUP BY ALL ORDER BY ALL""")

    # FOCUS in, FOCUS out: vendors' own FOCUS exports (any version) next to the converted raw
    # exports, all as FOCUS 1.2 in one schema (UNION ALL BY NAME fills the x_ columns one side lacks).
    multi = os.path.join(SAMPLES, "focus-multi", "FOCUS-1.0_focus_sample.csv")
    azure = os.path.join(SAMPLES, "azure", "focus")
    con.execute(f"""CREATE TEMP VIEW focus_all AS
        SELECT * FROM focus_raw
        UNION ALL BY NAME SELECT * FROM to_focus('{multi}', provider := 'focus', focus_version := '1.2')
        UNION ALL BY NAME SELECT * FROM to_focus('{azure}', provider := 'focus', focus_version := '1.2')""")

    show(con, "FOCUS exports read back: the multi-provider FOCUS 1.0 sample and Microsoft FocusCost 1.0, as FOCUS 1.2",
         """SELECT x_SourceFocusVersion AS source, ProviderName, ServiceCategory,
                   count(*) AS rows, round(sum(BilledCost), 2) AS billed, round(sum(EffectiveCost), 2) AS effective
            FROM focus_all WHERE x_SourceFocusVersion IS NOT NULL
            GROUP BY ALL ORDER BY source, ProviderName, effective DESC LIMIT 20""")

    show(con, "Cost per provider across all sources, converted and native FOCUS (one schema, one query)",
         """SELECT ProviderName, CASE WHEN x_SourceFocusVersion IS NULL THEN 'converted' ELSE 'FOCUS ' || x_SourceFocusVersion END AS source,
                   count(*) AS rows, round(sum(EffectiveCost), 2) AS effective
            FROM focus_all GROUP BY ALL ORDER BY ProviderName, source""")


if __name__ == "__main__":
    main()
