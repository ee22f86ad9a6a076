"""(b) of the benchmark: the FOCUS conversion as plain DuckDB SQL over DuckDB's own readers
(read_csv / read_parquet), the "physical reference" on this engine.

Two variants, both built from the mapping the extension renders itself (`SELECT sql FROM
focus_sql('aws')`, fetched once by the harness and passed as text, so the reference always has the
rules of the build under test and its output can be compared column by column with to_focus):

(b)  rendered  -- the rendered SELECT unchanged, over an adapter that turns the file's own columns
                  into the canonical CUR 2.0 columns it reads: DECIMAL(38,18) money (parsed from the
                  CSV text, E-notation included, or from the shortest text of a Parquet double, never
                  through binary doubles), TIMESTAMPTZ, text ids, and real MAPs for `product`,
                  `resource_tags`, `cost_category` and `discount` (CUR 1.0 has one column per tag).
(b') tuned     -- the same SELECT with the map-heavy expressions (Tags, x_Discounts, product
                  attributes) replaced by what a DuckDB user would write for the file at hand: JSON
                  text by string concatenation over flat tag columns (the fastest idiom measured in
                  research/peers.md §4), or one list_transform over a CUR 2.0 map.

CSV input is sniffed once (DESCRIBE of the first file, inside the timed part) and then read with
explicit columns and auto_detect = false: DuckDB's sniffer otherwise runs per file and costs more
than the parse itself on 170-column files.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SQL_AWS = REPO / "sql" / "aws"

DEC = "DECIMAL(38,18)"
SQL_TYPES = {"VARCHAR": "VARCHAR", "DECIMAL": DEC, "TIMESTAMPTZ": "TIMESTAMPTZ",
             "MAP_VARCHAR": "MAP(VARCHAR, VARCHAR)", "MAP_DECIMAL": f"MAP(VARCHAR, {DEC})"}
MAPS = ("product", "resource_tags", "cost_category", "discount")


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def snake(attr: str) -> str:
    """AWS's column naming rule (`ProductName` -> `product_name`, `Cost Center` -> `cost_center`)."""
    out = []
    for ch in attr:
        if ch.isupper():
            out.append("_" + ch.lower())
        elif ch.isalnum():
            out.append(ch)
        else:
            out.append("_")
    s = "".join(out)
    while "__" in s:
        s = s.replace("__", "_")
    return s.strip("_")


def cur_schema() -> list[dict]:
    with open(SQL_AWS / "cur_columns.csv", newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------------------------------------
# Reading the input with DuckDB's own readers
# ------------------------------------------------------------------------------------------------
def data_files(fmt: str, path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    pattern = "*.csv.gz" if fmt == "cur1-csv-gz" else "**/*.parquet"
    return sorted(p for p in path.glob(pattern) if "cost_and_usage_data_status" not in p.parts)


def sniff_relation(fmt: str, path: Path) -> str:
    """What DESCRIBE runs on: the first file, sniffed."""
    first = data_files(fmt, path)[0]
    if fmt == "cur1-csv-gz":
        return f"read_csv({lit(str(first))}, header = true, all_varchar = true)"
    return f"read_parquet({lit(str(first))})"


def input_relation(fmt: str, path: Path, columns: list[tuple[str, str]]) -> str:
    if fmt == "cur1-csv-gz":
        src = str(path / "*.csv.gz") if path.is_dir() else str(path)
        spec = "{" + ", ".join(f"{lit(n)}: 'VARCHAR'" for n, _ in columns) + "}"
        return (f"read_csv({lit(src)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
                f"escape = '\"', compression = 'gzip', columns = {spec})")
    src = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
    return f"read_parquet({lit(src)}, hive_partitioning = false)"


# ------------------------------------------------------------------------------------------------
# The rendered mapping
# ------------------------------------------------------------------------------------------------
LINE = re.compile(r'^    (.*) AS "([A-Za-z_][A-Za-z0-9_]*)",?$')


def split_select(sql: str) -> list[tuple[str, str]]:
    """[(expression, column)] of the rendered `SELECT ... FROM source` (one column per line)."""
    body = sql.split("\nSELECT\n", 1)[1].rsplit("\nFROM source", 1)[0]
    out = []
    for line in body.split("\n"):
        m = LINE.match(line)
        if not m:
            raise ValueError(f"unexpected line in focus_sql output: {line[:120]}")
        out.append((m.group(1), m.group(2)))
    return out


def referenced_columns(sql: str) -> set[str]:
    names = {r["name"] for r in cur_schema()}
    return {n for n in re.findall(r'"([a-z_]+)"', sql) if n in names}


def product_keys(sql: str) -> list[str]:
    return sorted(set(re.findall(r"map_extract_value\(\"product\", '([a-z_0-9]+)'\)", sql)))


# ------------------------------------------------------------------------------------------------
# Adapters: file columns -> canonical columns
# ------------------------------------------------------------------------------------------------
class Source:
    """The file's columns, addressed by canonical name."""

    def __init__(self, fmt: str, columns: list[tuple[str, str]]):
        self.fmt = fmt
        self.columns = columns
        self.types = dict(columns)
        self.lower = {c.lower(): c for c, _ in columns}
        self.schema = {r["name"]: r for r in cur_schema()}

    def column(self, canon: str) -> str | None:
        """Quoted source column holding canonical column `canon`, or None."""
        if self.fmt == "cur1-csv-gz":
            h = self.schema.get(canon, {}).get("cur1_header")
            return q(self.lower[h.lower()]) if h and h.lower() in self.lower else None
        return q(canon) if canon in self.types else None

    def typed(self, canon: str) -> str:
        kind = self.schema[canon]["type"]
        target = SQL_TYPES[kind]
        src = self.column(canon)
        if src is None:
            return f"CAST(NULL AS {target})"
        st = self.types.get(src.strip('"').replace('""', '"'), "VARCHAR")
        blank = self.fmt == "cur1-athena-parquet"  # Athena writes '' for a missing text
        if kind == "VARCHAR":
            return f"nullif({src}, '')" if blank else src
        if kind == "DECIMAL":
            if st == "VARCHAR":
                return f"CAST(nullif({src}, '') AS {DEC})" if blank or self.fmt == "cur2-parquet" else f"CAST({src} AS {DEC})"
            return f"CAST(CAST({src} AS VARCHAR) AS {DEC})"  # shortest text of the double, then exact
        if kind == "TIMESTAMPTZ":
            if st == "TIMESTAMP":  # Athena: naive, the values are UTC
                return f"timezone('UTC', {src})"
            return f"CAST({src} AS TIMESTAMPTZ)"
        raise ValueError(canon)

    # -- flat CUR 1.0 entries that CUR 2.0 keeps in maps: [(key, value expression)] --------------
    def product_entries(self, keys: list[str]) -> list[tuple[str, str]]:
        out = []
        for key in keys:
            if self.fmt == "cur1-csv-gz":
                src = next((q(c) for c, _ in self.columns if c.lower().startswith("product/") and snake(c[8:]) == key), None)
            else:
                src = q("product_" + key) if "product_" + key in self.types else None
            if src:
                out.append((key, f"nullif({src}, '')" if self.fmt == "cur1-athena-parquet" else src))
        return out

    def tag_entries(self) -> list[tuple[str, str]]:
        out = []
        for c, _ in self.columns:
            if self.fmt == "cur1-csv-gz" and c.startswith("resourceTags/"):
                out.append((c[len("resourceTags/"):], q(c)))
            elif self.fmt == "cur1-athena-parquet" and c.startswith("resource_tags_"):
                out.append((c[len("resource_tags_"):], f"nullif({q(c)}, '')"))
        return out

    def cost_category_entries(self) -> list[tuple[str, str]]:
        out = []
        for c, _ in self.columns:
            if self.fmt == "cur1-csv-gz" and c.startswith("costCategory/"):
                out.append((c[len("costCategory/"):], q(c)))
            elif self.fmt == "cur1-athena-parquet" and c.startswith("cost_category_"):
                out.append((c[len("cost_category_"):], f"nullif({q(c)}, '')"))
        return out

    def discount_entries(self) -> list[tuple[str, str]]:
        top = {"discount_bundled_discount", "discount_total_discount"}
        out = []
        for c, t in self.columns:
            if self.fmt == "cur1-csv-gz" and c.startswith("discount/"):
                key = snake(c[len("discount/"):])
                if "discount_" + key not in top:
                    out.append((key, f"CAST({q(c)} AS {DEC})"))
            elif self.fmt == "cur1-athena-parquet" and c.startswith("discount_") and c not in top:
                out.append((c[len("discount_"):], f"CAST(CAST({q(c)} AS VARCHAR) AS {DEC})"))
        return out


def map_of(entries: list[tuple[str, str]], value_type: str) -> str:
    """A MAP with the entries whose value is present (as the extension's reader builds it)."""
    if not entries:
        return f"MAP {{}}::MAP(VARCHAR, {value_type})"
    items = ", ".join(f"{{'key': {lit(k)}, 'value': CAST({v} AS {value_type})}}" for k, v in entries)
    return f"map_from_entries(list_filter([{items}], lambda e: e.value IS NOT NULL))"


def canonical_select(src: Source, needed: set[str], pkeys: list[str], maps: bool) -> str:
    """SELECT list of the canonical columns; maps=False leaves the maps out (tuned variant)."""
    items = []
    for r in cur_schema():
        name = r["name"]
        if name not in needed:
            continue
        if name in MAPS:
            if not maps:
                continue
            if src.fmt == "cur2-parquet":
                if name == "discount":
                    expr = (f"map_from_entries(list_transform(map_entries(discount), lambda e: "
                            f"{{'key': e.key, 'value': CAST(CAST(e.value AS VARCHAR) AS {DEC})}}))")
                else:
                    expr = q(name)
            elif name == "product":
                expr = map_of(src.product_entries(pkeys), "VARCHAR")
            elif name == "resource_tags":
                expr = map_of(src.tag_entries(), "VARCHAR")
            elif name == "cost_category":
                expr = map_of(src.cost_category_entries(), "VARCHAR")
            else:
                expr = map_of(src.discount_entries(), DEC)
            items.append(f"{expr} AS {name}")
        else:
            items.append(f"{src.typed(name)} AS {name}")
    return ",\n    ".join(items)


# ------------------------------------------------------------------------------------------------
# Tuned replacements
# ------------------------------------------------------------------------------------------------
def json_text(pairs: list[tuple[str, str]]) -> str:
    """JSON object text from (key, text expression): absent values skipped, '' -> true, NULL if empty."""
    if not pairs:
        return "CAST(NULL AS VARCHAR)"
    parts = [f"CASE WHEN {v} IS NOT NULL THEN {lit(json.dumps(k) + ':')} || "
             f"CASE WHEN {v} = '' THEN 'true' ELSE CAST(to_json({v}) AS VARCHAR) END END" for k, v in pairs]
    return f"nullif('{{' || concat_ws(',', {', '.join(parts)}) || '}}', '{{}}')"


def json_numbers(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return "CAST(NULL AS VARCHAR)"
    parts = [f"CASE WHEN {v} IS NOT NULL THEN {lit(json.dumps(k) + ':')} || "
             f"rtrim(rtrim(CAST({v} AS VARCHAR), '0'), '.') END" for k, v in pairs]
    return f"nullif('{{' || concat_ws(',', {', '.join(parts)}) || '}}', '{{}}')"


def strip_user(key: str) -> str:
    # as the rule does: drop `user:` (CUR 1.0 CSV), then `user_` (Athena / CUR 2.0)
    if key.startswith("user:"):
        key = key[5:]
    if key.startswith("user_"):
        key = key[5:]
    return key


def tuned_expressions(src: Source, pkeys: list[str]) -> dict[str, str]:
    """Replacement expressions for the map-based columns, by output column name."""
    if src.fmt == "cur2-parquet":
        tags = ("list_transform(map_entries(resource_tags), lambda e: CAST(to_json(CASE WHEN starts_with(e.key, 'user_') "
                "THEN substr(e.key, 6) WHEN starts_with(e.key, 'user:') THEN substr(e.key, 6) ELSE e.key END) AS VARCHAR) "
                "|| ':' || CASE WHEN coalesce(e.value, '') = '' THEN 'true' ELSE CAST(to_json(e.value) AS VARCHAR) END)")
        ccs = ("list_transform(map_entries(cost_category), lambda e: CAST(to_json('costCategory/' || e.key) AS VARCHAR) "
               "|| ':' || CASE WHEN coalesce(e.value, '') = '' THEN 'true' ELSE CAST(to_json(e.value) AS VARCHAR) END)")
        disc = ("list_transform(map_entries(discount), lambda e: CAST(to_json(e.key) AS VARCHAR) || ':' || coalesce("
                f"rtrim(rtrim(CAST(CAST(CAST(e.value AS VARCHAR) AS {DEC}) AS VARCHAR), '0'), '.'), 'true'))")
        out = {"Tags": f"nullif('{{' || array_to_string(list_concat({tags}, {ccs}), ',') || '}}', '{{}}')",
               "x_Discounts": f"nullif('{{' || array_to_string({disc}, ',') || '}}', '{{}}')"}
        products = {k: f"product[{lit(k)}]" for k in pkeys}
    else:
        tags = [(strip_user(k), v) for k, v in src.tag_entries()]
        ccs = [("costCategory/" + k, v) for k, v in src.cost_category_entries()]
        out = {"Tags": json_text(tags + ccs), "x_Discounts": json_numbers(src.discount_entries())}
        products = dict(src.product_entries(pkeys))
    out["__products__"] = json.dumps(products)
    return out


# ------------------------------------------------------------------------------------------------
def build(variant: str, fmt: str, path: Path, columns: list[tuple[str, str]], rendered: str) -> str:
    """The whole statement (a SELECT) for variant 'rendered' or 'tuned'."""
    src = Source(fmt, columns)
    cols = split_select(rendered)
    needed = referenced_columns(rendered)
    pkeys = product_keys(rendered)
    rel = input_relation(fmt, path, columns)
    if variant == "rendered":
        body = ",\n  ".join(f"{e} AS {q(n)}" for e, n in cols)
        return f"SELECT\n  {body}\nFROM (\n  SELECT\n    {canonical_select(src, needed, pkeys, True)}\n  FROM {rel}\n) source"
    repl = tuned_expressions(src, pkeys)
    products = json.loads(repl.pop("__products__"))
    extra = [f"{v} AS product__{k}" for k, v in products.items()]
    # the tuned variant needs the raw tag/discount columns next to the canonical ones
    raw = set()
    for k, v in (src.tag_entries() + src.cost_category_entries() + src.discount_entries()):
        raw.update(re.findall(r'"(?:[^"]|"")*"', v))
    if fmt == "cur2-parquet":
        raw.update({'"resource_tags"', '"cost_category"', '"discount"', '"product"'})
    body = []
    for e, n in cols:
        if n in repl:
            e = repl[n]
        for k in pkeys:
            e = e.replace(f"map_extract_value(\"product\", '{k}')", f"product__{k}" if k in products else "CAST(NULL AS VARCHAR)")
        body.append(f"{e} AS {q(n)}")
    canon = canonical_select(src, needed, pkeys, False)
    inner = ",\n    ".join([canon] + extra + sorted(raw))
    return f"SELECT\n  " + ",\n  ".join(body) + f"\nFROM (\n  SELECT\n    {inner}\n  FROM {rel}\n) source"
