#!/usr/bin/env python3
"""Using focus from a Python notebook: load, convert, and hand the result to pandas-free code.

    python examples/python_example.py [path-to-cur]
"""
import os
import sys

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXT = os.environ.get("FOCUS_EXT", os.path.join(ROOT, "build", "release", "focus.duckdb_extension"))
CUR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "samples", "aws", "cur1-csv")

con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
con.execute(f"LOAD '{EXT}'")

# A relation is lazy: nothing is read until it is consumed.
focus = con.sql(f"SELECT * FROM to_focus('{CUR}')")
by_service = focus.aggregate("ServiceName, sum(EffectiveCost) AS effective_cost", "ServiceName").order("effective_cost DESC")
rows = by_service.fetchall()
for name, cost in rows[:5]:
    print(f"{name:45s} {cost:>14.6f}")

# Cursors share the database and see the extension's functions without loading it again.
cur = con.cursor()
(total_rows,) = cur.execute(f"SELECT count(*) FROM to_focus('{CUR}')").fetchall()[0]
assert total_rows > 0, "no FOCUS rows"
print(f"{total_rows} FOCUS rows, {len(rows)} services")
