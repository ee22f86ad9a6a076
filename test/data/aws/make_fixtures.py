#!/usr/bin/env python3
"""Regenerates every fixture under test/data/aws/ (see README.md there for what each one is).

    python test/data/aws/make_fixtures.py [--samples DIR]

Uses only the Python standard library and the `duckdb` package (for the Parquet files).
The output is deterministic: fixed row values, gzip/zip timestamps pinned, files written in a
fixed order. Existing fixtures are overwritten; nothing outside test/data/aws/ is touched.

DIR defaults to $FOCUS_SAMPLES, else ../shared/samples relative to the repository root (the
shared sample folder that sits beside the clone). Only the real CUR 1.0 CSV sample is read
from it (for the *slice* fixtures); every other fixture is made up here.
"""
import argparse
import gzip
import io
import json
import os
import shutil
import zipfile

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
SAMPLE = 'aws/cur1-csv/sample-anonymous-aws-export-dataset.csv'
# A fixed timestamp for the zip member (zip cannot store dates before 1980).
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def out(*parts):
    return os.path.join(HERE, *parts)


def write_bytes(rel, data):
    path = out(*rel.split('/'))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    return path


def gz(data):
    # mtime=0 and no file name in the header: the bytes depend only on the content.
    buf = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(data)
    return buf.getvalue()


def csv_bytes(header, rows, newline='\n'):
    """Minimal CSV writer: quotes a field only when it holds a comma, quote or line break
    (as AWS does); None and '' are written as empty fields."""
    def field(v):
        v = '' if v is None else str(v)
        if any(c in v for c in ',"\r\n'):
            v = '"' + v.replace('"', '""') + '"'
        return v
    lines = [','.join(field(v) for v in row) for row in [header] + rows]
    return (newline.join(lines) + newline).encode('utf-8')


# ---------------------------------------------------------------------------------------------
# 1. Slices of the real CUR 1.0 CSV sample: plain, gzip, zip, and BOM + CRLF.
# ---------------------------------------------------------------------------------------------
def make_slices(samples):
    with open(os.path.join(samples, SAMPLE), 'rb') as f:
        lines = f.read().split(b'\n')
    assert lines[-1] == b'', 'sample should end with a newline'
    header, data = lines[0], lines[1:-1]
    assert len(data) == 1281, len(data)
    # Every 50th data row (rows 1, 51, ..., 1251: 26 rows), lines copied byte for byte.
    # (The sample has one record per line: no quoted field holds a line break.)
    picked = data[::50]
    plain = b'\n'.join([header] + picked) + b'\n'
    write_bytes('cur1_slice.csv', plain)
    write_bytes('cur1_slice.csv.gz', gz(plain))
    # AWS writes some gzip files as several concatenated members: split after the 10th row.
    cut = len(b'\n'.join([header] + picked[:10])) + 1
    write_bytes('cur1_slice_multimember.csv.gz', gz(plain[:cut]) + gz(plain[cut:]))
    write_bytes('cur1_header_only.csv', header + b'\n')
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, 'w', compression=zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo('cur1_slice.csv', date_time=ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        z.writestr(info, plain)
    write_bytes('cur1_slice.zip', zbuf.getvalue())
    write_bytes('cur1_slice_bom_crlf.csv', b'\xef\xbb\xbf' + plain.replace(b'\n', b'\r\n'))
    return header.decode(), [p.decode() for p in picked]


# ---------------------------------------------------------------------------------------------
# 2. A hand-made CUR 1.0 CSV with tags, cost categories, discounts and unknown columns.
# ---------------------------------------------------------------------------------------------
TAGS_HEADER = [
    'identity/LineItemId', 'identity/TimeInterval', 'bill/BillingPeriodStartDate',
    'bill/BillingPeriodEndDate', 'bill/PayerAccountId', 'lineItem/UsageAccountId',
    'lineItem/LineItemType', 'lineItem/UsageStartDate', 'lineItem/UsageEndDate',
    'lineItem/ProductCode', 'lineItem/UsageAmount', 'lineItem/UnblendedCost',
    'lineItem/CurrencyCode', 'lineItem/LineItemDescription',
    # AWS's data dictionary spellings (files usually say product/productFamily, regionCode):
    # CUR 1.0 headers are matched case-insensitively.
    'product/ProductFamily', 'product/regioncode',
    'product/ProductName', 'product/region', 'product/instanceTypeFamily',
    'resourceTags/user:Cost Center', 'resourceTags/aws:createdBy', 'resourceTags/user:team',
    'costCategory/Business Unit', 'discount/TotalDiscount', 'discount/EdpDiscount',
    'newThing/Foo', 'NoCategoryColumn',
]
TAGS_ROWS = [
    ['t1', '2024-01-15T10:00:00Z/2024-01-15T11:00:00Z', '2024-01-01T00:00:00Z',
     '2024-02-01T00:00:00Z', '012345678901', '000000000042', 'Usage',
     '2024-01-15T10:00:00Z', '2024-01-15T11:00:00Z', 'AmazonEC2', '1E-3', '0.10', 'USD',
     '$0.10 per hour, "on demand"', 'Compute Instance', 'us-east-1',
     'Amazon Elastic Compute Cloud', 'us-east-1', 't3',
     'CC 100', 'IAMUser:AIDAEXAMPLE:alice', '', 'Unit, A', '-0.01', '-0.01', 'bar', 'x1'],
    ['t2', '2024-01-15T11:00:00Z/2024-01-15T12:00:00Z', '2024-01-01T00:00:00Z',
     '2024-02-01T00:00:00Z', '012345678901', '000000000042', 'Usage',
     '2024-01-15 11:00:00', '2024-01-15 12:00:00', 'AmazonS3', '2048', '0.0000001', 'USD',
     'line one\nline two', 'Storage', 'eu-west-1',
     'Amazon Simple Storage Service', 'eu-west-1', '',
     '', '', '', '', '', '', '', ''],
    ['t3', '2024-01-31T23:00:00Z/2024-02-01T00:00:00Z', '2024-01-01T00:00:00Z',
     '2024-02-01T00:00:00Z', '012345678901', '123456789012', 'Tax',
     '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', 'AmazonEC2', '1', '12345678901234567.123456789012345678',
     'USD', 'Tax for product code AmazonEC2', '', '', 'Amazon Elastic Compute Cloud', '', '',
     'CC 200', '', 'ops', 'Unit B', '', '', '', ''],
    ['t4', '2024-01-20T00:00:00Z/2024-01-21T00:00:00Z', '2024-01-01T00:00:00Z',
     '2024-02-01T00:00:00Z', '012345678901', '000000000042', 'Credit',
     '2024-01-20T00:00:00.000Z', '2024-01-20T17:00:00-07:00', 'AWSLambda', '', '-5.5', 'USD',
     'Credit', '', '', 'AWS Lambda', '', '',
     '', '', 'data', '', '', '', '', ''],
]


def make_tags_csv():
    write_bytes('cur1_tags.csv', csv_bytes(TAGS_HEADER, TAGS_ROWS))


# ---------------------------------------------------------------------------------------------
# 3. A CUR 2.0 (Data Exports) snake_case CSV: map columns as JSON text.
# ---------------------------------------------------------------------------------------------
SNAKE_HEADER = [
    'identity_line_item_id', 'bill_billing_period_start_date', 'bill_billing_period_end_date',
    'bill_payer_account_id', 'line_item_usage_account_id', 'line_item_usage_account_name',
    'line_item_line_item_type', 'line_item_usage_start_date', 'line_item_product_code',
    'line_item_usage_amount', 'line_item_unblended_cost', 'line_item_unblended_rate',
    'product', 'product_region_code', 'resource_tags', 'cost_category', 'discount',
    'x_custom_column', 'product_future_attr',
]
SNAKE_ROWS = [
    ['s1', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z', '000111222333',
     '000111222333', 'dev-account', 'Usage', '2024-02-03T04:00:00.000Z', 'AmazonS3',
     '10.5', '0.25', '0.0238095238',
     json.dumps({'product_name': 'Amazon Simple Storage Service', 'region': 'us-east-1',
                 'storage_class': 'General Purpose'}, separators=(',', ':')),
     'us-east-1',
     json.dumps({'user_cost_center': 'CC 100', 'user_team': 'data, analytics'}, separators=(',', ':')),
     json.dumps({'business_unit': 'R&D'}, separators=(',', ':')),
     json.dumps({'edp_discount': -0.025}, separators=(',', ':')),
     'kept', 'fp-s1'],
    ['s2', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z', '000111222333',
     '999888777666', 'prod-account', 'Usage', '2024-02-10T00:00:00.000Z', 'AmazonEC2',
     '1', '1.5', '1.5',
     json.dumps({'product_name': 'Amazon Elastic Compute Cloud', 'region': 'eu-west-1'},
                separators=(',', ':')),
     'eu-west-1', '{}', '', '', '', ''],
    ['s3', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z', '000111222333',
     '999888777666', 'prod-account', 'Tax', '2024-02-01T00:00:00.000Z', 'AmazonEC2',
     '', '0.3', '', '', '', '', '', '', '', ''],
]


def make_snake_csv():
    write_bytes('cur2_snake.csv', csv_bytes(SNAKE_HEADER, SNAKE_ROWS))


# ---------------------------------------------------------------------------------------------
# 4. CUR 2.0 Parquet files (MAP columns), written by DuckDB.
# ---------------------------------------------------------------------------------------------
CUR2_PARQUET_SQL = """
SELECT * FROM (VALUES
  ('p1', '2024-02-01 00:00:00+00'::TIMESTAMPTZ, '2024-03-01 00:00:00+00'::TIMESTAMPTZ,
   '000123456789', '000123456789', 'Usage', '2024-02-05 10:00:00+00'::TIMESTAMPTZ,
   'AmazonEC2', 2.0::DOUBLE, 0.1::DOUBLE, '0.0500000000',
   MAP {'product_name': 'Amazon Elastic Compute Cloud', 'region': 'us-east-1'},
   MAP {'user_cost_center': 'CC 100', 'user_name': 'web-1'},
   MAP {'business_unit': 'Retail'}, MAP {'edp_discount': -0.01::DOUBLE},
   'us-east-1', 'future-1', 'fp-1'),
  ('p2', '2024-02-01 00:00:00+00'::TIMESTAMPTZ, '2024-03-01 00:00:00+00'::TIMESTAMPTZ,
   '000123456789', '000000000007', 'Usage', '2024-02-06 11:00:00+00'::TIMESTAMPTZ,
   'AmazonS3', 1e-10::DOUBLE, 0.2::DOUBLE, '',
   MAP {'product_name': 'Amazon Simple Storage Service'},
   MAP {}::MAP(VARCHAR, VARCHAR), NULL, NULL, '', NULL, NULL),
  ('p3', '2024-03-01 00:00:00+00'::TIMESTAMPTZ, '2024-04-01 00:00:00+00'::TIMESTAMPTZ,
   '000123456789', '000123456789', 'Usage', '2024-03-01 00:00:00+00'::TIMESTAMPTZ,
   'AmazonEC2', 123456.789012345::DOUBLE, 2.1e-09::DOUBLE, '1.2E-5',
   MAP {'product_name': 'Amazon Elastic Compute Cloud'},
   NULL, NULL, NULL, '', NULL, NULL),
  ('p4', '2024-03-01 00:00:00+00'::TIMESTAMPTZ, '2024-04-01 00:00:00+00'::TIMESTAMPTZ,
   '000123456789', '000123456789', 'Credit', '2024-03-31 23:00:00+00'::TIMESTAMPTZ,
   'AmazonEC2', NULL, -0.30000000000000004::DOUBLE, '',
   NULL, MAP {'user_name': 'web-2'}, NULL, NULL, '', NULL, NULL)
) t(identity_line_item_id, bill_billing_period_start_date, bill_billing_period_end_date,
    bill_payer_account_id, line_item_usage_account_id, line_item_line_item_type,
    line_item_usage_start_date, line_item_product_code, line_item_usage_amount,
    line_item_unblended_cost, line_item_unblended_rate, product, resource_tags, cost_category,
    discount, product_region_code, line_item_future_column, product_future_attr)
ORDER BY identity_line_item_id
"""

# Other physical types a writer may choose for the canonical types.
CUR2_TYPES_SQL = """
SELECT * FROM (VALUES
  ('q1', '2024-02-01 00:00:00'::TIMESTAMP_MS, '2024-02-02 03:04:05.123'::TIMESTAMP_MS,
   '2024-02-02 03:04:05.123456'::TIMESTAMP_NS, 0.1::REAL, 1.1::REAL,
   123.456001::DECIMAL(18,6), 42::BIGINT, 7::INTEGER),
  ('q2', '2024-02-01 00:00:00'::TIMESTAMP_MS, '2024-02-03 00:00:00'::TIMESTAMP_MS,
   '2024-02-03 01:00:00'::TIMESTAMP_NS, 3.3::REAL, 0.7::REAL,
   -0.000001::DECIMAL(18,6), -3::BIGINT, NULL::INTEGER)
) t(identity_line_item_id, bill_billing_period_start_date, line_item_usage_start_date,
    line_item_usage_end_date, line_item_unblended_cost, line_item_usage_amount,
    line_item_blended_cost, line_item_normalization_factor, line_item_normalized_usage_amount)
ORDER BY identity_line_item_id
"""


def copy_parquet(con, sql, rel):
    path = out(*rel.split('/'))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    q = path.replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{q}' (FORMAT parquet, COMPRESSION snappy)")


def make_parquet(con):
    copy_parquet(con, CUR2_PARQUET_SQL, 'cur2.parquet')
    copy_parquet(con, CUR2_TYPES_SQL, 'cur2_types.parquet')


# ---------------------------------------------------------------------------------------------
# 5. CUR 1.0 S3 delivery layout with a restated month (two assemblies) and a second month.
# ---------------------------------------------------------------------------------------------
LAYOUT_HEADER = [
    'identity/LineItemId', 'identity/TimeInterval', 'bill/BillingPeriodStartDate',
    'bill/BillingPeriodEndDate', 'bill/PayerAccountId', 'lineItem/UsageAccountId',
    'lineItem/LineItemType', 'lineItem/UsageStartDate', 'lineItem/UsageEndDate',
    'lineItem/ProductCode', 'lineItem/UsageAmount', 'lineItem/UnblendedCost',
    'lineItem/CurrencyCode', 'product/ProductName', 'resourceTags/user:team',
]


def layout_rows(prefix, period_start, period_end, costs, day0=1):
    rows = []
    for i, cost in enumerate(costs):
        day = day0 + i
        start = f'{period_start[:8]}{day:02d}T00:00:00Z'
        end = f'{period_start[:8]}{day:02d}T01:00:00Z'
        rows.append([f'{prefix}{i + 1}', f'{start}/{end}', period_start, period_end,
                     '210987654321', '010101010101', 'Usage', start, end, 'AmazonEC2',
                     '1', cost, 'USD', 'Amazon Elastic Compute Cloud',
                     'red' if i % 2 == 0 else ''])
    return rows


REPORT = 'myreport'
BUCKET_PREFIX = 'billing/cur'  # where the report lived in the bucket
ASSEMBLY_A = 'aaaaaaaa-0000-4000-8000-000000000001'  # first delivery of 2024-01 (superseded)
ASSEMBLY_B = 'bbbbbbbb-0000-4000-8000-000000000002'  # restatement of 2024-01 (current)
ASSEMBLY_C = 'cccccccc-0000-4000-8000-000000000003'  # only delivery of 2024-02


def cur1_manifest(assembly, period, keys):
    start, end = period.split('-')
    return json.dumps({
        'assemblyId': assembly,
        'account': '210987654321',
        'columns': [{'category': h.split('/')[0], 'name': h.split('/')[1]} for h in LAYOUT_HEADER],
        'charset': 'UTF-8',
        'compression': 'GZIP',
        'contentType': 'text/csv',
        'reportId': 'fixture-report-id',
        'reportName': REPORT,
        'billingPeriod': {'start': f'{start}T000000.000Z', 'end': f'{end}T000000.000Z'},
        'bucket': 'example-billing-bucket',
        'reportKeys': keys,
        'additionalArtifactKeys': [],
    }, indent=2).encode() + b'\n'


def make_cur1_layout():
    root = 'cur1_restated'
    shutil.rmtree(out(root), ignore_errors=True)
    jan, feb = '20240101-20240201', '20240201-20240301'
    deliveries = {
        # (period folder, assembly): {file name: rows}
        (jan, ASSEMBLY_A): {
            f'{REPORT}-1.csv.gz': layout_rows('a', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z',
                                             ['1.00', '2.00', '3.00', '4.00', '5.00']),
        },
        (jan, ASSEMBLY_B): {
            f'{REPORT}-1.csv.gz': layout_rows('b', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z',
                                             ['10.01', '20.02', '30.03']),
            f'{REPORT}-2.csv.gz': layout_rows('b', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z',
                                             ['0.5', '0.25', '0.125', '0.0625'], day0=10),
        },
        (feb, ASSEMBLY_C): {
            f'{REPORT}-1.csv.gz': layout_rows('c', '2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z',
                                             ['7.7', '8.8']),
        },
    }
    current = {jan: ASSEMBLY_B, feb: ASSEMBLY_C}
    for (period, assembly), files in deliveries.items():
        keys = [f'{BUCKET_PREFIX}/{REPORT}/{period}/{assembly}/{name}' for name in files]
        for name, rows in files.items():
            write_bytes(f'{root}/{REPORT}/{period}/{assembly}/{name}', gz(csv_bytes(LAYOUT_HEADER, rows)))
        manifest = cur1_manifest(assembly, period, keys)
        write_bytes(f'{root}/{REPORT}/{period}/{assembly}/{REPORT}-Manifest.json', manifest)
        if current[period] == assembly:
            write_bytes(f'{root}/{REPORT}/{period}/{REPORT}-Manifest.json', manifest)


# ---------------------------------------------------------------------------------------------
# 6. CUR 2.0 Data Exports layout: metadata/BILLING_PERIOD=... manifests + data/BILLING_PERIOD=...
# ---------------------------------------------------------------------------------------------
EXPORT = 'myexport'
EXPORT_S3 = f's3://example-billing-bucket/exports/{EXPORT}'


def export_rows_sql(prefix, period, costs):
    y, m = period.split('-')
    start = f'{period}-01 00:00:00+00'
    ny, nm = (int(y) + 1, 1) if m == '12' else (int(y), int(m) + 1)
    end = f'{ny:04d}-{nm:02d}-01 00:00:00+00'
    values = ',\n'.join(
        f"('{prefix}{i + 1}', '{start}'::TIMESTAMPTZ, '{end}'::TIMESTAMPTZ, '000222333444', "
        f"'000222333444', 'Usage', '{period}-{i + 2:02d} 00:00:00+00'::TIMESTAMPTZ, 'AmazonRDS', "
        f"1.0::DOUBLE, {cost}::DOUBLE, MAP {{'product_name': 'Amazon Relational Database Service'}}, "
        f"MAP {{'user_team': 'db'}})"
        for i, cost in enumerate(costs))
    return (f"SELECT * FROM (VALUES {values}) t(identity_line_item_id, bill_billing_period_start_date, "
            "bill_billing_period_end_date, bill_payer_account_id, line_item_usage_account_id, "
            "line_item_line_item_type, line_item_usage_start_date, line_item_product_code, "
            "line_item_usage_amount, line_item_unblended_cost, product, resource_tags) "
            "ORDER BY identity_line_item_id")


def export_manifest(execution, period, files):
    return json.dumps({
        'executionId': execution,
        'exportArn': 'arn:aws:bcm-data-exports:us-east-1:000222333444:export/myexport-fixture',
        'columns': [],
        'dataFiles': [f'{EXPORT_S3}/data/BILLING_PERIOD={period}/{f}' for f in files],
        'additionalOutputFiles': [],
    }, indent=2).encode() + b'\n'


def make_cur2_layout(con):
    root = 'cur2_export'
    shutil.rmtree(out(root), ignore_errors=True)
    mar = 'data/BILLING_PERIOD=2024-03'
    copy_parquet(con, export_rows_sql('m1-', '2024-03', ['1.5', '2.5', '3.5']),
                 f'{root}/{EXPORT}/{mar}/{EXPORT}-00001.snappy.parquet')
    copy_parquet(con, export_rows_sql('m2-', '2024-03', ['0.25', '0.75']),
                 f'{root}/{EXPORT}/{mar}/{EXPORT}-00002.snappy.parquet')
    # Left over from an earlier, larger execution of the same month: the manifest no longer
    # names it, so reading it would count March twice.
    copy_parquet(con, export_rows_sql('old-', '2024-03', ['1000', '1000', '1000', '1000']),
                 f'{root}/{EXPORT}/{mar}/{EXPORT}-00003.snappy.parquet')
    write_bytes(f'{root}/{EXPORT}/metadata/BILLING_PERIOD=2024-03/{EXPORT}-Manifest.json',
                export_manifest('exec-2024-03-b', '2024-03',
                                [f'{EXPORT}-00001.snappy.parquet', f'{EXPORT}-00002.snappy.parquet']))
    copy_parquet(con, export_rows_sql('a1-', '2024-04', ['40', '2']),
                 f'{root}/{EXPORT}/data/BILLING_PERIOD=2024-04/{EXPORT}-00001.snappy.parquet')
    write_bytes(f'{root}/{EXPORT}/metadata/BILLING_PERIOD=2024-04/{EXPORT}-Manifest.json',
                export_manifest('exec-2024-04-a', '2024-04', [f'{EXPORT}-00001.snappy.parquet']))


# ---------------------------------------------------------------------------------------------
# 7. Broken inputs for the error tests.
# ---------------------------------------------------------------------------------------------
ERR_HEADER = ['identity/LineItemId', 'bill/BillingPeriodStartDate', 'lineItem/UsageAccountId',
              'lineItem/UsageAmount', 'lineItem/UnblendedCost', 'lineItem/LineItemDescription']


def make_errors(con, slice_header, slice_rows):
    root = 'errors'
    shutil.rmtree(out(root), ignore_errors=True)
    write_bytes(f'{root}/not_a_cur.csv', b'Date,Service,Cost\n2024-01-01,EC2,1.5\n')
    write_bytes(f'{root}/empty.csv', b'')
    # Line 4 (the third data row) has 5 fields instead of 6. Line 3 holds a quoted line break,
    # so the record on "line 4" is really the 5th physical line: the error must give the line
    # where the record starts as the CSV reader counts it (line 5 of the text).
    rows = [
        ['e1', '2024-01-01T00:00:00Z', '000000000001', '1', '0.5', 'ok'],
        ['e2', '2024-01-01T00:00:00Z', '000000000001', '1', '0.5', 'two\nlines'],
        ['e3', '2024-01-01T00:00:00Z', '000000000001', '1', '0.5'],
        ['e4', '2024-01-01T00:00:00Z', '000000000001', '1', '0.5', 'ok'],
    ]
    write_bytes(f'{root}/bad_field_count.csv', csv_bytes(ERR_HEADER, rows))
    rows = [
        ['n1', '2024-01-01T00:00:00Z', '000000000001', '1', '0.5', 'ok'],
        ['n2', '2024-01-01T00:00:00Z', '000000000001', '1', '0.5', 'ok'],
        ['n3', '2024-01-01T00:00:00Z', '000000000001', '1', '12,50 USD', 'not a number'],
    ]
    write_bytes(f'{root}/bad_number.csv', csv_bytes(ERR_HEADER, rows))
    rows = [
        ['d1', '2024-01-01T00:00:00Z', '000000000001', '1', '0.5', 'ok'],
        ['d2', 'January 2024', '000000000001', '1', '0.5', 'bad date'],
    ]
    write_bytes(f'{root}/bad_timestamp.csv', csv_bytes(ERR_HEADER, rows))
    # Line 3 holds a Latin-1 byte (an export re-saved in Windows-1252).
    rows = [
        ['u1', '2024-01-01T00:00:00Z', '000000000001', '1', '0.5', 'ok'],
        ['u2', '2024-01-01T00:00:00Z', '000000000001', '1', '0.5', 'Z\u00fcrich'],
    ]
    write_bytes(f'{root}/bad_utf8.csv', csv_bytes(ERR_HEADER, rows).replace('\u00fc'.encode(), b'\xfc'))
    # The same bad number, gzip-compressed: the line number is counted in the decompressed text.
    rows = [['g%d' % i, '2024-01-01T00:00:00Z', '000000000001', '1', '0.5', 'ok'] for i in range(1, 8)]
    rows.append(['g8', '2024-01-01T00:00:00Z', '000000000001', 'lots', '0.5', 'bad usage'])
    write_bytes(f'{root}/bad_number.csv.gz', gz(csv_bytes(ERR_HEADER, rows)))
    # A gzip cut in the middle: the header still decodes, the rows run out.
    plain = ('\n'.join([slice_header] + slice_rows * 4) + '\n').encode()
    whole = gz(plain)
    write_bytes(f'{root}/truncated.csv.gz', whole[:len(whole) // 2])
    # A CUR 2.0 CSV whose map column holds text that is not JSON (line 3).
    write_bytes(f'{root}/bad_json_map.csv', csv_bytes(
        ['identity_line_item_id', 'line_item_unblended_cost', 'resource_tags'],
        [['j1', '1', '{"user_team":"a"}'], ['j2', '2', 'team=a']]))
    # A Parquet file whose string-typed number column holds a non-number.
    copy_parquet(con, "SELECT * FROM (VALUES ('x1', 0.5::DOUBLE, '0.05'), ('x2', 0.5::DOUBLE, 'n/a')) "
                      "t(identity_line_item_id, line_item_unblended_cost, line_item_unblended_rate)",
                 f'{root}/bad_rate.parquet')
    # A CUR 1.0 delivery whose current manifest names a file that is not there.
    period, asm = '20240101-20240201', 'dddddddd-0000-4000-8000-000000000004'
    keys = [f'{BUCKET_PREFIX}/rep/{period}/{asm}/rep-1.csv.gz', f'{BUCKET_PREFIX}/rep/{period}/{asm}/rep-2.csv.gz']
    write_bytes(f'{root}/missing_key/rep/{period}/{asm}/rep-1.csv.gz',
                gz(csv_bytes(LAYOUT_HEADER, layout_rows('k', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', ['1']))))
    write_bytes(f'{root}/missing_key/rep/{period}/rep-Manifest.json', cur1_manifest(asm, period, keys))
    # A CUR 2.0 export whose manifest names a data file that is not there.
    copy_parquet(con, export_rows_sql('z', '2024-05', ['1']),
                 f'{root}/missing_data_file/{EXPORT}/data/BILLING_PERIOD=2024-05/{EXPORT}-00001.snappy.parquet')
    write_bytes(f'{root}/missing_data_file/{EXPORT}/metadata/BILLING_PERIOD=2024-05/{EXPORT}-Manifest.json',
                export_manifest('exec-2024-05', '2024-05',
                                [f'{EXPORT}-00001.snappy.parquet', f'{EXPORT}-00002.snappy.parquet']))
    # A CUR 1.0 manifest that is not JSON.
    write_bytes(f'{root}/bad_manifest/rep/{period}/rep-Manifest.json', b'{"assemblyId": "x", reportKeys: }\n')
    write_bytes(f'{root}/bad_manifest/rep/{period}/x/rep-1.csv.gz',
                gz(csv_bytes(LAYOUT_HEADER, layout_rows('k', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', ['1']))))
    # A folder with no data files at all.
    write_bytes(f'{root}/no_data/readme.txt', b'nothing to read here\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--samples', default=os.environ.get('FOCUS_SAMPLES') or os.path.join(REPO, '..', 'shared', 'samples'),
                    help='the shared samples folder (holds aws/cur1-csv/...)')
    args = ap.parse_args()
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute('SET threads=1')  # one writer thread: row groups in a fixed order
    header, rows = make_slices(args.samples)
    make_tags_csv()
    make_snake_csv()
    make_parquet(con)
    make_cur1_layout()
    make_cur2_layout(con)
    make_errors(con, header, rows)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(HERE) for f in fs)
    print(f'fixtures written under {os.path.relpath(HERE, REPO)} ({total} bytes in total)')


if __name__ == '__main__':
    main()
