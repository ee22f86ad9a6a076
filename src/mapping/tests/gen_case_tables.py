#!/usr/bin/env python3
"""Regenerates src/mapping/case_tables.rs from DuckDB: for every non-ASCII code point, what
`lower` and `upper` turn it into (DuckDB maps one code point to one code point, via utf8proc).

    /tmp/pv/bin/python src/mapping/tests/gen_case_tables.py > src/mapping/case_tables.rs
"""

import duckdb

HEADER = """//! Unicode case mappings for `lower` and `upper`, generated from DuckDB {version} (utf8proc) by
//! `src/mapping/tests/gen_case_tables.py`: DuckDB maps one code point to one code point, which
//! Rust's `char::to_lowercase`/`to_uppercase` do not (they apply the full, multi-character
//! mappings, e.g. 'ß' to "SS"). Pairs `(from, to)` for non-ASCII code points that change, sorted.
"""


def main():
    con = duckdb.connect()
    version = con.execute("SELECT version()").fetchone()[0].lstrip("v")
    out = [HEADER.format(version=version)]
    for name, fn in [("LOWER", "lower"), ("UPPER", "upper")]:
        pairs = con.execute(f"""
            SELECT x, unicode({fn}(chr(x::INT))), length({fn}(chr(x::INT)))
            FROM range(128, 1114112) t(x)
            WHERE (x < 55296 OR x > 57343) AND {fn}(chr(x::INT)) <> chr(x::INT)
            ORDER BY x""").fetchall()
        assert all(n == 1 for _, _, n in pairs), "DuckDB mapped a code point to several"
        out.append("#[rustfmt::skip]")
        out.append(f"pub static {name}: [(u32, u32); {len(pairs)}] = [")
        line = "   "
        for a, b, _ in pairs:
            item = f" (0x{a:X}, 0x{b:X}),"
            if len(line) + len(item) > 118:
                out.append(line)
                line = "   "
            line += item
        out.append(line)
        out.append("];")
        out.append("")
    print("\n".join(out), end="")


if __name__ == "__main__":
    main()
