#!/usr/bin/env python3
"""Writes the tiny FOCUS fixtures the SQL tests use for versions and providers the shared samples
lack. Deterministic (fixed values, gzip mtime 0): run it again and git shows no change.

    python3 test/data/focus/gen_fixtures.py

Each fixture has exactly the columns its FOCUS version's catalogue lists (sql/focus/columns.csv),
then the provider's extension columns, two rows each.
"""
import csv
import gzip
import io
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOGUE = os.path.join(HERE, "..", "..", "..", "sql", "focus", "columns.csv")


def catalogue():
    with open(CATALOGUE, newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for r in rows:
        out.setdefault(r["version"], []).append(r)
    return out


def value(col, row, provider_name, ts):
    """A plausible value per column type; costs differ per row so sums are checkable."""
    cid, ty = col["column_id"], col["data_type"]
    special = {
        "ProviderName": provider_name,
        "PublisherName": provider_name,
        "InvoiceIssuerName": provider_name,
        "ServiceProviderName": provider_name,
        "HostProviderName": provider_name,
        "ChargeCategory": "Usage",
        "ChargeClass": "",
        "ChargeFrequency": "Usage-Based",
        "BillingCurrency": "USD",
        "PricingCurrency": "USD",
        "ServiceCategory": "Compute",
        "ServiceName": "Virtual Machines",
        "PricingUnit": "Hours",
        "ConsumedUnit": "Hours",
        "PricingCategory": "Standard",
        "BillingAccountId": "acct-001",
        "SubAccountId": "sub-00%d" % row,
        "ResourceId": "res-%d" % row,
        "RegionId": "region-1",
        "RegionName": "Region One",
    }
    if cid in special:
        return special[cid]
    if cid.startswith(("Commitment", "CapacityReservation", "Allocated", "Invoice")):
        return ""  # on-demand rows: no commitment, reservation, allocation or invoice detail
    if ty == "Decimal":
        return ["1.5", "0.25"][row]
    if ty == "Date/Time":
        return ts[row]
    if ty == "JSON":
        return '{"env": "test", "team": "finops"}' if cid == "Tags" else ""
    return "%s-%d" % (cid.lower(), row)


FIXTURES = [
    # (file, version, provider name, extension columns, timestamps as written)
    ("focus_1_1_gcp.csv", "1.1", "Google Cloud", {"x_Credits": "[]", "x_ExportTime": "2024-06-02 00:00:00"},
     ["2024-06-01 00:00:00", "2024-06-01 01:00:00"]),
    ("focus_1_2_oci.csv", "1.2", "Oracle", {"oci_ReferenceNumber": "ref-1", "oci_CompartmentName": "root"},
     ["2024-06-01T00:00:00Z", "2024-06-01T01:00:00Z"]),
    ("focus_1_3_aws.csv", "1.3", "AWS", {"x_ServiceCode": "AmazonEC2", "x_UsageType": "BoxUsage"},
     ["2024-06-01T00:00Z", "2024-06-01T01:00Z"]),
    ("focus_1_4_azure.csv.gz", "1.4", "Microsoft", {"x_BillingProfileId": "bp-1", "x_SkuMeterCategory": "Compute"},
     ["2024-06-01T00:00:00.000Z", "2024-06-01T01:00:00.000Z"]),
    # A provider this build does not know: x_SourceProvider stays NULL, HostProviderName too.
    ("focus_1_0_unknown.csv", "1.0", "Acme Cloud", {}, ["2024-06-01T00:00:00Z", "2024-06-01T01:00:00Z"]),
]

# FOCUS 1.0-preview (Microsoft's FocusCost 1.0-preview names): Provider, Publisher, Region,
# InvoiceIssuer instead of their 1.0 names.
PREVIEW_RENAMES = {"ProviderName": "Provider", "PublisherName": "Publisher", "RegionName": "Region",
                   "InvoiceIssuerName": "InvoiceIssuer"}


def write(name, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode()
    path = os.path.join(HERE, name)
    if name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    with open(path, "wb") as f:
        f.write(data)


def main():
    cat = catalogue()
    for name, version, provider, ext, ts in FIXTURES:
        cols = cat[version]
        header = [c["column_id"] for c in cols] + list(ext)
        rows = [[value(c, r, provider, ts) for c in cols] + list(ext.values()) for r in range(2)]
        write(name, header, rows)
    cols = [c for c in cat["1.0"] if c["column_id"] not in ("RegionId",)]
    header = [PREVIEW_RENAMES.get(c["column_id"], c["column_id"]) for c in cols] + ["x_SkuMeterCategory"]
    rows = [[value(c, r, "Microsoft", ["2024-06-01T00:00Z", "2024-06-01T01:00Z"]) for c in cols] + ["Compute"]
            for r in range(2)]
    write("focus_1_0_preview_azure.csv", header, rows)
    # Not FOCUS: a generic spreadsheet export.
    write("not_focus.csv", ["Date", "Service", "Cost"], [["2024-06-01", "Compute", "1.5"]])


if __name__ == "__main__":
    main()
