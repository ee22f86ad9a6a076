#!/usr/bin/env python3
"""Checks the mapping evaluator against DuckDB, value for value.

Generates rows with tricky values (Unicode, control characters, NULLs, extreme decimals, maps
with colliding keys), a mapping exercising every operator and function, and a list of strings
for VARCHAR -> DECIMAL casts. Runs the ignored Rust test `mapping::tests::parity::duckdb_parity`,
which evaluates the mapping and writes its values and each column's rendered SQL; then runs that
SQL in DuckDB over the same rows and compares. Run by hand (it is not part of `cargo test`):

    /tmp/pv/bin/python src/mapping/tests/duckdb_parity.py [--rows 5000] [--seed 1] [--crate-dir .]

needs the `duckdb` Python package (2.0.1 is what the expectations in the unit tests come from).
`--duckdb-cli PATH` runs the DuckDB side in that CLI binary instead (e.g. duckdb-cli 1.5.6).
Exit status 0 when everything agrees.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

import duckdb

WORDS = [
    "", "a", "b", "A", "abc", "Tax", "Usage", "Credit", "EC2", "S3", "X", "é", "straße", "İ", "ǅ", "ΣΑΣ",
    " x ", "\tx\n", "\u00a0x\u3000", "a,b,c", "a,,b", ",", "aaa", "a_c", "a%c", "%", "_", "1.5", "123",
    "arn:aws:ec2:us-east-1:123:instance/i-0abc", "arn:aws:s3:::bucket", "arn:aws:lambda:eu-west-1:1:function:f:1",
    "user:Team", "user_team", "👍🏽", "e\u0301", 'x"y', "back\\slash", "ctl\x01\x1f", "K", "\u212a", "it's",
    "\u2028", "a\nb", "SpotUsage", "BoxUsage:t3.micro", "--", "aa",
    "202208", "202212", "022208", "20228", " 202208", "202200", "2022081",
]
ALPHABET = (
    "abcxyzABCXYZ019 _-,.:/%'\"\\\t\n\x01\x7féüßİıǅΣσςΑαñ€😀👍🏽\u0301\u00a0\u2000\u3000\u2028\u212aﬀŉǰ"
    "ᾳДжЯ中文日本"
)
MAP_KEYS = ["k", "user:k", "user_k", "Team", "user:Team", "user_Team", "", 'x"y', "ü", "costCategory/x",
            "aws:createdBy", "user:", "u", "k2", "ctl\x01", "\u2028"]


def rand_str(r):
    if r.random() < 0.6:
        return r.choice(WORDS)
    return "".join(r.choice(ALPHABET) for _ in range(r.randint(0, 12)))


def maybe(r, f, p_null=0.15):
    return None if r.random() < p_null else f()


def rand_dec(r, max_int_digits):
    kind = r.random()
    if kind < 0.1:
        return "0"
    if kind < 0.2:
        return str(r.randint(-5, 5))
    int_digits = r.randint(0, max_int_digits)
    frac_digits = r.randint(0, 18)
    ip = "".join(r.choice("0123456789") for _ in range(int_digits)) or "0"
    fp = "".join(r.choice("0123456789") for _ in range(frac_digits))
    sign = "-" if r.random() < 0.4 else ""
    return f"{sign}{ip}.{fp}" if fp else f"{sign}{ip}"


def rand_map(r, dec):
    keys = r.sample(MAP_KEYS, r.randint(0, 6))
    if dec:
        return [{"key": k, "value": maybe(r, lambda: rand_dec(r, 8))} for k in keys]
    return [{"key": k, "value": maybe(r, lambda: rand_str(r))} for k in keys]


def cast_candidates(r, n):
    parts = ["", " ", "\t", "+", "-", "0", "1", "9", "00", "12", "1_0", "_", ".", "5", "e", "E", "e-", "e+",
             "1e", "19", "20", "38", "0000000000", "99999999999999999999", "12345678901234567890",
             "000000000000000000005", "5", "49999", "x", "0x1", ",", "__"]
    out = []
    for _ in range(n):
        out.append("".join(r.choice(parts) for _ in range(r.randint(1, 7))))
    return out


EXPRESSIONS = [
    # strings
    "s", "lower(s)", "upper(s)", "trim(s)", "length(s)", "concat(s, NULL, t, u)", "concat(s)", "s || t",
    "replace(s, t, u)", "replace(s, 'a', '')", "replace(s, '', 'x')", "split_part(s, ',', 2)",
    "split_part(s, ',', -1)", "split_part(s, '', 2)", "split_part(s, '', -2)", "split_part(s, t, 1)",
    "split_part(s, 'a', -2)", "split_part(s, ':', 0)", "starts_with(s, t)", "ends_with(s, t)", "contains(s, t)",
    "starts_with(s, '')", "nullif(s, t)", "nullif(s, '')", "coalesce(s, t, 'z')", "coalesce(nullif(s, ''), u)",
    "greatest(s, t, u)", "least(s, t)", "s = t", "s <> t", "s < t", "s <= t", "s > t", "s >= t",
    "s IS NULL", "s IS NOT NULL", "s IN ('a', 'b', 'Tax')", "s IN ('a', NULL)", "s NOT IN ('a', 'Tax')",
    "s NOT IN ('a', NULL)", "s LIKE '%a_%'", "s LIKE 'a%'", "s LIKE '_'", "s LIKE '%'", "s LIKE ''",
    "s NOT LIKE '%,%'", "s LIKE '%\\%'", "s LIKE 'arn:%:%:%:%:%/%'", "s LIKE '%_c'", "s LIKE '%a%b%'",
    "s LIKE 'a%c'", "s LIKE '%c'", "s LIKE 'abc'", "s LIKE '%%a'", "s LIKE '%a%a%'", "s LIKE 'a%a'",
    "s LIKE 'a_%_c'", "s LIKE '%_'", "s LIKE '_%'", "s LIKE '__'",
    "CASE WHEN s LIKE 'a%' THEN t ELSE u END", "CASE WHEN b THEN s WHEN s = t THEN 'x' END",
    "CASE s WHEN 'a' THEN t WHEN 'Tax' THEN s ELSE lower(u) END", "coalesce(d, e)", "coalesce(ts, ts2, ts)",
    "coalesce(b, NULL, TRUE)",
    "CASE WHEN s = t THEN 'eq' WHEN s < t THEN 'lt' ELSE 'ge' END",
    "CASE s WHEN 'a' THEN 'A' WHEN t THEN 'T' WHEN NULL THEN 'N' END",
    "CASE WHEN s IS NULL THEN 'null' ELSE CASE WHEN length(s) > 3 THEN upper(s) ELSE lower(t) END END",
    "NOT (s = t) OR s IS NULL AND t IS NOT NULL", "(s = 'a') = (t = 'b')", "b AND s = t", "b OR s < t", "NOT b",
    "regexp_matches(s, '\\d+')", "regexp_matches(s, '^[a-z]+$')", "regexp_matches(s, '\\bTax\\b')",
    "regexp_matches(s, '(?i)straSSe')", "regexp_matches(s, '\\s')", "regexp_matches(s, '\\w\\W')",
    "regexp_extract(s, '([a-z]+)(\\d*)', 2)", "regexp_extract(s, '([^:/]+)$', 1)",
    "regexp_extract(s, '^arn:[^:]*:([^:]*):', 1)", "regexp_extract(s, '.{2}')", "regexp_extract(s, 'a{,2}')",
    "regexp_extract(s, '[[:upper:]]+')", "regexp_extract(s, '\\pL+')", "regexp_extract(s, '(x)?y|a', 1)",
    "lookup('lk', s, 'v1')", "lookup('lk', s, 'v2')", "coalesce(lookup('lk', lower(s), 'v1'), s)",
    "CAST(length(s) AS VARCHAR)",
    # decimals
    "d", "d + e", "d - e", "d * e", "-d", "abs(d)", "d * 1.5", "d * -0.000000000000000001", "d * d",
    "e * 0.5", "d * e * 0.001", "(d + 1) * (e - 1)", "d = e", "d < e", "d >= e", "greatest(d, e, 0)",
    "least(d, e)", "coalesce(d, e, 0)", "nullif(d, 0)", "d IN (0, 1, -1.5)", "d NOT IN (0, NULL)",
    "CAST(d AS VARCHAR)", "CAST(e AS VARCHAR) || '!'", "CAST(n AS DECIMAL)", "CAST(n AS DECIMAL) + d",
    "CASE WHEN d > e THEN d - e WHEN d < e THEN e - d END", "CASE WHEN d > 1000000 THEN d * d ELSE 0 END",
    "length(s) * 2", "md['k']", "md['user:k'] + 1",
    # timestamps and booleans
    "ts", "month_start(ts)", "month_end(ts2)", "month_start(s)", "month_end(s)", "ts < ts2", "ts = ts2", "greatest(ts, ts2)", "least(ts, ts2)", "coalesce(ts, ts2)",
    "CASE WHEN b THEN ts ELSE ts2 END", "ts IS NULL", "b", "b = (s = t)", "coalesce(b, s = t)",
    "CASE WHEN b THEN 'y' WHEN NOT b THEN 'n' END",
    # maps
    "m['k']", "m['user:Team']", "m['']", "map_json(m)", "map_json(md)", "map_json(m, md)", "map_json(md, m)",
    "map_json(map_strip_prefix(m, 'user:'))", "map_json(map_strip_prefix(map_strip_prefix(m, 'user:'), 'user_'))",
    "map_json(map_with_prefix(md, 'costCategory/'))",
    "map_json(map_strip_prefix(map_strip_prefix(m, 'user:'), 'user_'), map_with_prefix(md, 'costCategory/'))",
    "map_strip_prefix(m, 'user:')['Team']", "map_with_prefix(m, 'p/')['p/k']", "map_json(map_strip_prefix(md, 'u'))",
    "m IS NULL", "map_json(m) IS NULL",
    "map_json(map_strip_prefix(map_with_prefix(map_strip_prefix(m, 'user:'), 'user_'), 'user_'))",
    "map_json(map_with_prefix(map_with_prefix(m, 'a'), 'b'), map_strip_prefix(md, 'user'))",
    "map_json(map_strip_prefix(map_strip_prefix(map_strip_prefix(m, 'u'), 's'), 'e'), m)",
    "map_json(map_strip_prefix(map_with_prefix(m, 'user:'), 'user:u'))",
    "map_json(map_strip_prefix(map_with_prefix(md, 'us'), 'user_'))",
    # constants
    "'AWS'", "CAST(NULL AS VARCHAR)", "1 + 2 * 3", "concat('a', NULL)", "lower('ÀÉÎ')",
]


def generate(r, rows):
    data = []
    for rid in range(rows):
        data.append({
            "rid": rid,
            "s": maybe(r, lambda: rand_str(r)),
            "t": maybe(r, lambda: rand_str(r)),
            "u": maybe(r, lambda: rand_str(r)),
            "d": maybe(r, lambda: rand_dec(r, 9)),
            "e": maybe(r, lambda: rand_dec(r, 9)),
            "ts": maybe(r, lambda: r.randint(-10**15, 10**15)),
            "ts2": maybe(r, lambda: r.randint(-10**15, 10**15)),
            "b": maybe(r, lambda: r.random() < 0.5),
            "m": maybe(r, lambda: rand_map(r, False)),
            "md": maybe(r, lambda: rand_map(r, True)),
            "n": None,
        })
    return data


class PyBackend:
    def __init__(self, work):
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")

    def setup(self, sql):
        self.con.execute(sql)

    def query(self, sql):
        """Rows as lists, or raises RuntimeError with DuckDB's message."""
        try:
            return [list(r) for r in self.con.execute(sql).fetchall()]
        except duckdb.Error as e:
            raise RuntimeError(str(e).splitlines()[0]) from e


class CliBackend:
    def __init__(self, work, cli):
        self.cli, self.db = cli, os.path.join(work, "cli.duckdb")

    def run(self, sql, readonly):
        cmd = [self.cli] + (["-readonly"] if readonly else []) + ["-json", "-bail", "-cmd", "SET TimeZone = 'UTC'",
                                                                  self.db, "-c", sql]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0 or "Error" in p.stderr:
            raise RuntimeError((p.stderr or p.stdout).strip().splitlines()[0])
        return p.stdout

    def setup(self, sql):
        self.run(sql, False)

    def query(self, sql):
        out = self.run(f"SELECT * FROM ({sql}) AS q", True).strip()
        return [list(r.values()) for r in json.loads(out)] if out else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--crate-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--duckdb-cli", help="compare with this DuckDB CLI binary instead of the Python package")
    args = ap.parse_args()
    r = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="focus-parity-")

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")

    # Numeric strings DuckDB accepts, for CAST(n AS DECIMAL) over whole columns.
    cands = cast_candidates(r, 20000)
    ok = con.execute(
        "SELECT list_filter(?::VARCHAR[], lambda x: TRY_CAST(x AS DECIMAL(38,18)) IS NOT NULL)", [cands]
    ).fetchone()[0]
    data = generate(r, args.rows)
    for row in data:
        row["n"] = maybe(r, lambda: r.choice(ok))
    with open(os.path.join(work, "data.jsonl"), "w", encoding="utf-8") as f:
        for row in data:
            f.write(json.dumps(row) + "\n")
    with open(os.path.join(work, "casts.json"), "w", encoding="utf-8") as f:
        json.dump(cands, f)
    with open(os.path.join(work, "casts.jsonl"), "w", encoding="utf-8") as f:
        for i, c in enumerate(cands):
            f.write(json.dumps({"i": i, "x": c}) + "\n")
    lookup_rows = [("a", "Alpha", ""), ("Tax", "T", "tax"), ("é", "E", "acute"), ("", "empty", "key"),
                   ("x\"y", "quote", ""), ("straße", "Strasse", "ß")]
    with open(os.path.join(work, "lookup.csv"), "w", encoding="utf-8", newline="") as f:
        import csv
        w = csv.writer(f)
        w.writerow(["k", "v1", "v2"])
        w.writerows(lookup_rows)
    items = ",\n".join(f"  {e} AS c{i}" for i, e in enumerate(EXPRESSIONS))
    with open(os.path.join(work, "mapping.sql"), "w", encoding="utf-8") as f:
        f.write(f"SELECT\n{items}\nFROM src\n")

    env = dict(os.environ, FOCUS_PARITY_DIR=work)
    env.setdefault("CARGO_TARGET_DIR", "/tmp/mapping-target")
    cmd = ["cargo", "test", "--release", "--lib", "mapping::tests::parity::duckdb_parity", "--", "--ignored",
           "--exact", "--nocapture"]
    subprocess.run(cmd, cwd=args.crate_dir, env=env, check=True)
    with open(os.path.join(work, "rust.json"), encoding="utf-8") as f:
        rust = json.load(f)

    db = CliBackend(work, args.duckdb_cli) if args.duckdb_cli else PyBackend(work)
    db.setup(f"""
        CREATE TABLE raw AS SELECT * FROM read_json('{work}/data.jsonl', format = 'newline_delimited', columns = {{
            rid: 'BIGINT', s: 'VARCHAR', t: 'VARCHAR', u: 'VARCHAR', d: 'VARCHAR', e: 'VARCHAR', ts: 'BIGINT',
            ts2: 'BIGINT', b: 'BOOLEAN', m: 'STRUCT(key VARCHAR, value VARCHAR)[]',
            md: 'STRUCT(key VARCHAR, value VARCHAR)[]', n: 'VARCHAR'}});
        CREATE TABLE src AS SELECT rid, s, t, u, CAST(d AS DECIMAL(38,18)) AS d, CAST(e AS DECIMAL(38,18)) AS e,
            CAST(make_timestamp(ts) AS TIMESTAMPTZ) AS ts, CAST(make_timestamp(ts2) AS TIMESTAMPTZ) AS ts2, b,
            map_from_entries(m) AS m,
            map_from_entries(list_transform(md, lambda x: {{'key': x.key, 'value': CAST(x.value AS DECIMAL(38,18))}}))
                AS md,
            n
        FROM raw;
        CREATE TABLE casts AS SELECT * FROM read_json('{work}/casts.jsonl', format = 'newline_delimited',
            columns = {{i: 'BIGINT', x: 'VARCHAR'}});""")

    failures = 0
    for col, expr in zip(rust["columns"], EXPRESSIONS):
        sql = col["sql"]
        canon = {
            "TIMESTAMPTZ": f"CAST(epoch_us({sql}) AS VARCHAR)",
            "VARCHAR": f"({sql})",
        }.get(col["type"], f"CAST(({sql}) AS VARCHAR)")
        try:
            got = [row[0] for row in db.query(f"SELECT {canon} AS v FROM src ORDER BY rid")]
            duck_err = None
        except RuntimeError as e:
            got, duck_err = None, str(e)
        if col["error"] or duck_err:
            if not (col["error"] and duck_err):
                failures += 1
                print(f"MISMATCH {expr}: rust error {col['error']!r}, duckdb error {duck_err!r}")
            else:
                print(f"both fail  {expr}: {duck_err}")
            continue
        bad = [(i, a, b) for i, (a, b) in enumerate(zip(col["values"], got)) if a != b]
        if bad:
            failures += 1
            i, a, b = bad[0]
            print(f"MISMATCH {expr}: {len(bad)} rows differ, first row {i} ({data[i]}):\n  rust   {a!r}\n  duckdb {b!r}")
    duck_casts = [r[0] for r in db.query(
        "SELECT CAST(TRY_CAST(x AS DECIMAL(38,18)) AS VARCHAR) AS v FROM casts ORDER BY i")]
    cast_bad = [(c, a, b) for c, a, b in zip(cands, rust["casts"], duck_casts) if a != b]
    for c, a, b in cast_bad[:20]:
        print(f"CAST MISMATCH {c!r}: rust {a!r} duckdb {b!r}")
    failures += len(cast_bad)
    # The whole mapping as one statement runs too.
    try:
        db.query(f"SELECT count(*) AS n FROM ({rust['to_sql']})")
        whole = "the whole SELECT runs"
    except RuntimeError as e:
        whole = f"the whole SELECT fails as some columns do: {e}"
    print(whole)
    print(f"{len(EXPRESSIONS)} expressions x {args.rows} rows, {len(cands)} casts: "
          f"{'OK' if failures == 0 else f'{failures} FAILURES'} (work dir {work})")
    if not args.keep and failures == 0:
        import shutil
        shutil.rmtree(work)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
