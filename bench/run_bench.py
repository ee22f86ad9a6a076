#!/usr/bin/env python3
"""Throughput and memory benchmark of the `focus` extension, side by side with plain DuckDB SQL and
focus-converter 1.0.0, on synthetic AWS CUR data (bench/gen_cur.py). See bench/README.md.

    make bench                                  # = python bench/run_bench.py --ext build/release/focus.duckdb_extension
    python bench/run_bench.py --ext EXT --full  # adds the 10M-row memory case

Every case runs in its own subprocess, so peak RSS is per case (the process's own VmHWM; for
focus-converter, which forks writer processes, the largest VmHWM in its tree and the sampled PSS of
the whole tree).
Writes bench/results.md (and bench/out/results.json).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FORMATS = ("cur1-csv-gz", "cur1-athena-parquet", "cur2-parquet")
FC_PIN = ["focus-converter==1.0.0", "multimethod<2", "click<8.2"]
FC_VENV = HERE / ".venv-fc"

# Targets (bench/README.md).
TARGET_RATIO_B = 1.25       # (a) wall <= 1.25 x (b) wall
TARGET_VS_FC = 10.0         # (a) >= 10x faster than focus-converter
TARGET_RSS_GROWTH = 1.2     # RSS(10M) <= 1.2 x RSS(1M)
TARGET_RSS_MB = 512         # RSS(10M) <= 0.5 GB
TARGET_SCALING = 1.6        # 2 threads >= 1.6 x faster than 1 thread on multi-file input


# ------------------------------------------------------------------------------------------------
# Worker: runs one DuckDB case inside this (child) process and prints a JSON line.
# ------------------------------------------------------------------------------------------------
def worker(spec: dict) -> dict:
    import duckdb

    sys.path.insert(0, str(HERE))
    t0 = time.perf_counter()
    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"SET threads = {int(spec['threads'])}")
    for setting in spec.get("settings", []):
        con.execute(setting)
    load_s = 0.0
    if spec.get("ext"):
        t = time.perf_counter()
        con.execute(f"LOAD '{spec['ext']}'")
        load_s = time.perf_counter() - t
    res: dict = {"load_seconds": round(load_s, 3), "startup_seconds": round(time.perf_counter() - t0, 3)}
    kind = spec["kind"]
    t = time.perf_counter()
    if kind == "baseline":
        res["rows"] = None
    elif kind == "sql":  # one statement; a COPY or a SELECT returning one row
        r = con.execute(spec["sql"]).fetchall()
        res["result"] = [list(map(str, x)) for x in r[:3]]
    elif kind == "reference":  # (b): the rendered mapping over DuckDB's readers; sniffing (DESCRIBE) included
        import reference as R

        fmt, path = spec["format"], Path(spec["input"])
        cols = [(c[0], c[1]) for c in con.execute(f"DESCRIBE SELECT * FROM {R.sniff_relation(fmt, path)}").fetchall()]
        sql = R.build(spec["variant"], fmt, path, cols, Path(spec["rendered"]).read_text())
        con.execute(f"COPY ({sql}) TO '{spec['output']}' (FORMAT parquet)")
    else:
        raise SystemExit(f"unknown worker kind {kind}")
    res["seconds"] = round(time.perf_counter() - t, 3)
    # Peak RSS of this process, read before the row count below can add to it. (ru_maxrss from wait4
    # is not usable: Linux carries the spawning process's peak into the child across exec.)
    res["vmhwm_mb"] = vmhwm_kb("self") / 1024.0
    if spec.get("output"):
        out = spec["output"]
        res["rows"] = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
    return res


def vmhwm_kb(pid) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# ------------------------------------------------------------------------------------------------
# Process measurement
# ------------------------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Every 50 ms: summed PSS of a process and its descendants (peak kept), and each process's
    VmHWM (its own peak RSS; the largest is kept)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.max_procs, self.hwm_kb = pid, 0, 0, 0
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            pids, todo = [], [self.pid]
            while todo:
                p = todo.pop()
                pids.append(p)
                todo += _children(p)
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in pids))
            self.hwm_kb = max([self.hwm_kb] + [vmhwm_kb(p) for p in pids])
            self.max_procs = max(self.max_procs, len(pids))
            self._halt.wait(0.05)

    def stop(self):
        self._halt.set()
        self.join()


def run_measured(cmd: list[str], log: Path, timeout: float, env=None) -> dict:
    """Runs cmd in a new session; wall time, exit code, largest VmHWM in the tree, tree PSS peak."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as lf:
        lf.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        lf.flush()
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=lf, env=env, start_new_session=True)
        sampler = TreeSampler(p.pid)
        sampler.start()
        out_chunks: list[bytes] = []
        reader = threading.Thread(target=lambda: out_chunks.append(p.stdout.read()), daemon=True)
        reader.start()
        timed_out = False
        deadline = t + timeout
        while True:
            wpid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if wpid:
                break
            if time.perf_counter() > deadline:
                timed_out = True
                os.killpg(p.pid, signal.SIGKILL)  # our own process group only
                wpid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - t
        sampler.stop()
        reader.join(timeout=5)
        p.returncode = os.waitstatus_to_exitcode(status)
        stdout = b"".join(out_chunks).decode(errors="replace")
        lf.write("\n--- stdout ---\n" + stdout)
    return {
        "wall": wall, "rc": p.returncode, "timed_out": timed_out, "stdout": stdout,
        # ru_maxrss is kept for the record only: it includes the harness's own peak (see vmhwm_kb).
        "ru_maxrss_mb": ru.ru_maxrss / 1024.0, "maxrss_mb": sampler.hwm_kb / 1024.0,
        "tree_pss_mb": sampler.peak_kb / 1024.0, "procs": sampler.max_procs,
    }


# ------------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------------
def gen_hash() -> str:
    h = hashlib.sha256()
    for p in (HERE / "gen_cur.py", REPO / "sql" / "aws" / "cur_columns.csv", REPO / "sql" / "aws" / "regions.csv"):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def dataset_path(data_dir: Path, fmt: str, rows: int, files: int, seed: int) -> Path:
    n = f"{rows // 1_000_000}m" if rows % 1_000_000 == 0 else str(rows)
    name = f"{fmt}_{n}" + (f"_x{files}" if files > 1 else "") + (f"_s{seed}" if seed != 42 else "")
    if fmt == "cur1-csv-gz" and files == 1:
        return data_dir / (name + ".csv.gz")
    if fmt == "cur2-parquet" and files == 1:
        return data_dir / (name + ".parquet")
    return data_dir / name


def ensure_dataset(args, fmt: str, rows: int, files: int, logs: Path) -> dict:
    path = dataset_path(args.data_dir, fmt, rows, files, args.seed)
    stamp = path.with_name(path.name + ".stamp.json")
    want = {"format": fmt, "rows": rows, "files": files, "seed": args.seed, "generator": gen_hash()}
    if path.exists() and stamp.exists():
        have = json.loads(stamp.read_text())
        if all(have.get(k) == v for k, v in want.items()):
            have["reused"] = True
            return have
    cmd = [sys.executable, str(HERE / "gen_cur.py"), "--rows", str(rows), "--format", fmt, "--out", str(path),
           "--seed", str(args.seed), "--files", str(files)]
    print(f"[gen] {' '.join(cmd[1:])}", flush=True)
    m = run_measured(cmd, logs / f"gen_{path.name}.log", timeout=4 * 3600)  # maxrss: sampled VmHWM
    if m["rc"] != 0:
        raise SystemExit(f"generator failed, see {logs / f'gen_{path.name}.log'}")
    size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())
    info = dict(want, path=str(path), bytes=size, gen_seconds=round(m["wall"], 1), gen_rss_mb=round(m["maxrss_mb"]),
                created=dt.datetime.now().isoformat(timespec="seconds"), cmd=" ".join(cmd[1:]))
    stamp.write_text(json.dumps(info, indent=1))
    info["reused"] = False
    return info


# ------------------------------------------------------------------------------------------------
# focus-converter
# ------------------------------------------------------------------------------------------------
def find_python311() -> str | None:
    for cand in ("python3.11",):
        p = shutil.which(cand)
        if p:
            return p
    for p in sorted(Path.home().glob(".pyenv/versions/3.11*/bin/python3.11")):
        return str(p)
    return None


def ensure_fc(logs: Path) -> tuple[Path | None, str]:
    exe = FC_VENV / "bin" / "focus-converter"
    if exe.exists():
        return exe, ""
    py = find_python311()
    if not py:
        return None, "no Python 3.11 found for focus-converter's venv"
    print(f"[fc] creating {FC_VENV} with {py} and installing {' '.join(FC_PIN)}", flush=True)
    env = dict(os.environ, PIP_FIND_LINKS="")
    with open(logs / "fc_install.log", "w") as lf:
        r = subprocess.run([py, "-m", "venv", str(FC_VENV)], stdout=lf, stderr=lf)
        if r.returncode == 0:
            r = subprocess.run([str(FC_VENV / "bin" / "pip"), "install", "--quiet", *FC_PIN], stdout=lf, stderr=lf, env=env)
    if r.returncode != 0 or not exe.exists():
        return None, f"install failed (see {logs / 'fc_install.log'})"
    return exe, ""


def fc_version_info(fc: Path) -> str:
    py = fc.parent / "python"
    code = ("import importlib.metadata as m; print(' '.join(f'{p} {m.version(p)}' for p in "
            "['focus-converter', 'polars', 'pyarrow']))")
    try:
        return subprocess.run([str(py), "-c", code], capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return f"unknown ({e})"


# ------------------------------------------------------------------------------------------------
# Cases
# ------------------------------------------------------------------------------------------------
def scan_sql(fmt: str, path: Path) -> str:
    """(d): count(*) with DuckDB's reader; CSV with the columns given (sniffed here, not timed)."""
    sys.path.insert(0, str(HERE))
    import duckdb
    import reference as R

    cols = []
    if fmt == "cur1-csv-gz":
        c = duckdb.connect()
        cols = [(r[0], r[1]) for r in c.execute(f"DESCRIBE SELECT * FROM {R.sniff_relation(fmt, path)}").fetchall()]
    return f"SELECT count(*) FROM {R.input_relation(fmt, path, cols)}"


def to_focus_arg(path: Path) -> str:
    return str(path) + ("/" if path.is_dir() else "")


class Bench:
    def __init__(self, args):
        self.args = args
        self.results: list[dict] = []
        self.out_dir: Path = args.out_dir
        self.logs = self.out_dir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.ext = str(Path(args.ext).resolve())
        self.to_focus_ok: bool | None = None
        self.to_focus_err = ""
        self.rendered: Path | None = None  # focus_sql('aws') text, written by main()
        # Finished cases are appended to partial.jsonl; --resume reuses those of the same extension
        # build (a run on a shared machine can be killed from outside).
        self.partial = self.out_dir / "partial.jsonl"
        st = Path(self.ext).stat()
        self.build_id = f"{st.st_size}-{int(st.st_mtime)}"
        self.cache: dict[str, dict] = {}
        self.reused: list[str] = []
        if args.resume and self.partial.exists():
            for line in self.partial.read_text().splitlines():
                r = json.loads(line)
                if r.get("build_id") == self.build_id and "seconds" in r:
                    self.cache[r["case"]] = r
        elif self.partial.exists():
            self.partial.unlink()

    def cached(self, name: str) -> dict | None:
        r = self.cache.get(name)
        if r:
            self.results.append(r)
            self.reused.append(name)
            print(f"  {name:<42} {r['seconds']:>9.2f}s  (from the interrupted run, --resume)", flush=True)
        return r

    def record(self, r: dict):
        r["build_id"] = self.build_id
        with open(self.partial, "a") as f:
            f.write(json.dumps(r, default=str) + "\n")

    # -- one DuckDB case in a subprocess --------------------------------------------------------
    def duck(self, name: str, spec: dict, meta: dict) -> dict:
        if self.cached(name):
            return self.cache[name]
        cmd = [self.args.python, str(Path(__file__).resolve()), "--worker", json.dumps(spec)]
        m = run_measured(cmd, self.logs / f"{name}.log", timeout=self.args.timeout)
        r = dict(meta, case=name, rc=m["rc"], maxrss_mb=round(m["maxrss_mb"], 1), tree_pss_mb=round(m["tree_pss_mb"], 1),
                 process_wall=round(m["wall"], 2))
        if m["rc"] == 0:
            try:
                w = json.loads(m["stdout"].strip().splitlines()[-1])
                r.update(seconds=w["seconds"], rows=w.get("rows"), load_seconds=w.get("load_seconds"),
                         result=w.get("result"), maxrss_mb=round(w["vmhwm_mb"], 1))
            except (ValueError, IndexError, KeyError) as e:
                r.update(error=f"bad worker output: {e}")
        else:
            tail = (self.logs / f"{name}.log").read_text(errors="replace").strip().splitlines()[-3:]
            r.update(error=("timeout" if m["timed_out"] else " | ".join(tail))[-400:])
        self.results.append(r)
        self.record(r)
        shown = f"{r['seconds']:.2f}s" if "seconds" in r else "FAILED: " + r.get("error", "")[:200]
        print(f"  {name:<42} {shown:>10}  rss {r['maxrss_mb']:.0f} MB", flush=True)
        return r

    def check_to_focus(self, sample: Path):
        if self.to_focus_ok is not None:
            return self.to_focus_ok
        spec = {"kind": "sql", "threads": 2, "ext": self.ext,
                "sql": f"SELECT count(*) FROM to_focus('{to_focus_arg(sample)}')"}
        cmd = [self.args.python, str(Path(__file__).resolve()), "--worker", json.dumps(spec)]
        m = run_measured(cmd, self.logs / "to_focus_probe.log", timeout=600)
        self.to_focus_ok = m["rc"] == 0
        if not self.to_focus_ok:
            lines = (self.logs / "to_focus_probe.log").read_text(errors="replace").strip().splitlines()
            err = next((ln for ln in reversed(lines) if "Error" in ln or "error" in ln), lines[-1] if lines else "")
            self.to_focus_err = err.strip()[:300]
            print(f"  to_focus is not usable in this build: {self.to_focus_err}", flush=True)
        return self.to_focus_ok

    def case_a(self, fmt, path, rows, threads, tag="", unordered=False):
        # DuckDB keeps insertion order by default; a C-API table function cannot give the batch
        # indexes that let an ordered COPY run in parallel, so (a-unordered) shows what
        # `SET preserve_insertion_order = false` (row order is meaningless in a FOCUS export) buys.
        name = f"a{'u' if unordered else ''}_to_focus_{fmt}{tag}_t{threads}"
        label = "(a-unordered) to_focus → Parquet, preserve_insertion_order = false" if unordered else "(a) to_focus → Parquet"
        meta = dict(format=fmt, label=label, key="au" if unordered else "a", threads=threads, input_rows=rows, tag=tag)
        if not self.check_to_focus(path):
            r = dict(meta, case=name, error=f"n/a: to_focus not usable ({self.to_focus_err})")
            self.results.append(r)
            return r
        out = self.out_dir / f"{name}.parquet"
        spec = {"kind": "sql", "threads": threads, "ext": self.ext, "output": str(out),
                "settings": ["SET preserve_insertion_order = false"] if unordered else [],
                "sql": f"COPY (FROM to_focus('{to_focus_arg(path)}')) TO '{out}' (FORMAT parquet)"}
        return self.duck(name, spec, meta)

    def case_b(self, fmt, path, rows, threads, tag="", variant="tuned"):
        key = "b" if variant == "tuned" else "br"
        name = f"{key}_duckdb_sql_{fmt}{tag}_t{threads}"
        label = ("(b) DuckDB read_* + SQL mapping → Parquet" if variant == "tuned" else
                 "(b-rendered) focus_sql() text as rendered, maps built → Parquet")
        meta = dict(format=fmt, label=label, key=key, threads=threads, input_rows=rows, tag=tag)
        if not self.rendered:
            r = dict(meta, case=name, error="n/a: this build has no focus_sql()")
            self.results.append(r)
            return r
        out = self.out_dir / f"{name}.parquet"
        spec = {"kind": "reference", "threads": threads, "format": fmt, "input": str(path), "output": str(out),
                "variant": variant, "rendered": str(self.rendered)}
        return self.duck(name, spec, meta)

    def case_d(self, fmt, path, rows, tag=""):
        name = f"d_scan_{fmt}{tag}"
        spec = {"kind": "sql", "threads": 2, "sql": scan_sql(fmt, path)}
        meta = dict(format=fmt, label="(d) DuckDB count(*) scan", key="d", threads=2, input_rows=rows, tag=tag)
        return self.duck(name, spec, meta)

    def case_e(self, fmt, path, rows, tag=""):
        name = f"e_read_aws_cur_{fmt}{tag}"
        spec = {"kind": "sql", "threads": 2, "ext": self.ext,
                "sql": f"SELECT count(*), sum(line_item_unblended_cost) FROM read_aws_cur('{to_focus_arg(path)}')"}
        meta = dict(format=fmt, label="(e) read_aws_cur count + sum (extension reader only)", key="e", threads=2,
                    input_rows=rows, tag=tag)
        return self.duck(name, spec, meta)

    def case_f(self, fmt, path, rows, tag=""):
        """to_focus streamed to CSV on /dev/null: the extension's memory without DuckDB's Parquet
        writer, which buffers whole row groups of the 57 output columns per thread."""
        name = f"f_to_focus_csv_{fmt}{tag}"
        spec = {"kind": "sql", "threads": 2, "ext": self.ext,
                "sql": f"COPY (FROM to_focus('{to_focus_arg(path)}')) TO '/dev/null' (FORMAT csv)"}
        meta = dict(format=fmt, label="(f) to_focus → CSV on /dev/null (no Parquet writer)", key="f", threads=2,
                    input_rows=rows, tag=tag)
        return self.duck(name, spec, meta)

    def case_g(self, fmt, rows, a_out: Path, tag=""):
        """DuckDB alone re-writing (a)'s own FOCUS Parquet to Parquet: the writer's memory floor."""
        name = f"g_rewrite_focus_parquet_{fmt}{tag}"
        meta = dict(format=fmt, label="(g) DuckDB re-writes (a)'s FOCUS Parquet → Parquet", key="g", threads=2,
                    input_rows=rows, tag=tag)
        if not a_out.exists():
            r = dict(meta, case=name, error="n/a: (a) output missing")
            self.results.append(r)
            return r
        out = self.out_dir / f"{name}.parquet"
        spec = {"kind": "sql", "threads": 2, "output": str(out),
                "sql": f"COPY (FROM read_parquet('{a_out}')) TO '{out}' (FORMAT parquet)"}
        return self.duck(name, spec, meta)

    def case_c(self, fmt, path, rows, fc: Path | None, fc_err: str):
        name = f"c_focus_converter_{fmt}"
        meta = dict(format=fmt, label="(c) focus-converter 1.0.0", key="c", threads=None, input_rows=rows, tag="")
        if fmt == "cur2-parquet":
            r = dict(meta, case=name, error="n/a (no CUR 2.0 plan)")
            self.results.append(r)
            return r
        if fc is None:
            r = dict(meta, case=name, error=f"n/a ({fc_err})")
            self.results.append(r)
            return r
        if self.cached(name):
            return self.cache[name]
        out = self.out_dir / f"{name}/"
        shutil.rmtree(out, ignore_errors=True)
        if fmt == "cur1-csv-gz":
            # polars' read_csv decompresses the .gz itself (whole file in memory), so it gets the .gz.
            src = ["--provider", "aws-cur", "--data-format", "csv", "--data-path", str(path)]
        else:
            src = ["--provider", "aws", "--data-format", "parquet", "--parquet-data-format", "dataset",
                   "--data-path", str(path)]
        cmd = [str(fc), "convert", *src, "--export-path", str(out), "--no-export-include-source-columns"]
        env = dict(os.environ, TQDM_DISABLE="1")
        m = run_measured(cmd, self.logs / f"{name}.log", timeout=self.args.timeout, env=env)
        r = dict(meta, case=name, rc=m["rc"], process_wall=round(m["wall"], 2), seconds=round(m["wall"], 2),
                 maxrss_mb=round(m["maxrss_mb"], 1), tree_pss_mb=round(m["tree_pss_mb"], 1), procs=m["procs"],
                 cmd="focus-converter " + " ".join(shlex.quote(c) for c in cmd[1:]))
        if m["rc"] != 0 or m["timed_out"]:
            tail = (self.logs / f"{name}.log").read_text(errors="replace").strip().splitlines()[-2:]
            r["error"] = "timeout" if m["timed_out"] else " | ".join(tail)[-300:]
            r.pop("seconds")
        else:
            import duckdb

            c = duckdb.connect()
            files = list(Path(out).glob("*.parquet"))
            r["rows"] = c.execute(f"SELECT count(*) FROM read_parquet('{out}/*.parquet')").fetchone()[0] if files else 0
            r["out_columns"] = len(c.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}/*.parquet')").fetchall()) if files else 0
            r["out_files"] = len(files)
        self.results.append(r)
        self.record(r)
        shown = f"{r['seconds']:.2f}s" if "seconds" in r else "FAILED: " + r.get("error", "")[:200]
        print(f"  {name:<42} {shown:>10}  rss {r['maxrss_mb']:.0f} MB (tree PSS {r['tree_pss_mb']:.0f} MB)", flush=True)
        return r

    def baseline(self):
        spec = {"kind": "baseline", "threads": 2, "ext": self.ext}
        return self.duck("baseline_python_duckdb_load", spec, dict(format="-", label="Python + duckdb + LOAD, no query",
                                                                   key="base", threads=2, input_rows=0, tag=""))


# ------------------------------------------------------------------------------------------------
# Output comparison (a) vs (b)
# ------------------------------------------------------------------------------------------------
def compare_outputs(a: Path, b: Path) -> dict:
    """Order-independent per-column fingerprints: counts, sums of decimals, sums of hashes of text."""
    import duckdb

    c = duckdb.connect()
    ca = {r[0]: r[1] for r in c.execute(f"DESCRIBE SELECT * FROM '{a}'").fetchall()}
    cb = {r[0]: r[1] for r in c.execute(f"DESCRIBE SELECT * FROM '{b}'").fetchall()}
    common = [n for n in ca if n in cb]

    def fp(path, types):
        exprs = ["count(*)"]
        for n in common:
            t = types[n]
            qn = '"' + n + '"'
            if t.startswith("DECIMAL"):
                exprs.append(f"sum(CAST({qn} AS DECIMAL(38,18)))")
            else:
                exprs.append(f"sum(hash(CAST({qn} AS VARCHAR))::HUGEINT)")
            exprs.append(f"count({qn})")
        return c.execute(f"SELECT {', '.join(exprs)} FROM '{path}'").fetchone()

    fa, fb = fp(a, ca), fp(b, cb)
    differ = []
    for i, n in enumerate(common):
        if fa[1 + 2 * i] != fb[1 + 2 * i] or fa[2 + 2 * i] != fb[2 + 2 * i]:
            differ.append(n)
    return {"rows_a": fa[0], "rows_b": fb[0], "columns_a": len(ca), "columns_b": len(cb),
            "only_a": [n for n in ca if n not in cb], "only_b": [n for n in cb if n not in ca],
            "type_diff": [f"{n} {ca[n]} vs {cb[n]}" for n in common if ca[n] != cb[n]], "value_diff": differ}


# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------
def machine_info() -> dict:
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "kernel": platform.release()}


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def fmt_s(r):
    return f"{r['seconds']:.2f}" if "seconds" in r else "—"


def fmt_rate(r):
    if "seconds" not in r or not r.get("input_rows") or r["seconds"] <= 0:
        return "—"
    return f"{r['input_rows'] / r['seconds'] / 1000:,.0f}k"


def fmt_mb(r):
    if "maxrss_mb" not in r:
        return "—"
    s = f"{r['maxrss_mb']:,.0f}"
    if r.get("key") == "c" and r.get("tree_pss_mb"):
        s += f" (tree {r['tree_pss_mb']:,.0f})"
    return s


def find(results, **kw):
    for r in results:
        if all(r.get(k) == v for k, v in kw.items()):
            return r
    return None


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def report(args, bench: Bench, datasets: dict, env: dict, comparisons: dict, started: str, load_before: str,
           load_after: str, elapsed: float) -> str:
    R = bench.results
    L = []
    busy = max(float(load_before.split()[0]), float(load_after.split()[0])) > 0.8
    L.append("# focus benchmark results\n")
    L.append(f"Run {started}, took {elapsed / 60:.1f} min. Machine: {env['machine']['nproc']} CPUs "
             f"({env['machine']['cpu']}), {env['machine']['ram_gb']} GB RAM, Linux {env['machine']['kernel']}. "
             f"Load average (1/5/15 min) before: {load_before}; after: {load_after}."
             + (" **Other work was running on the machine: treat the times as upper bounds.**" if busy else ""))
    if bench.reused:
        L.append("")
        L.append(f"This run was resumed (`--resume`): {len(bench.reused)} of {len(R)} cases were measured by the "
                 "earlier run of the same build (interrupted, or run before cases were added to the harness) and "
                 "are reported as measured then; the load average above is that of the resumed part.")
    L.append("")
    L.append(f"Versions: Python {env['python']}, duckdb {env['duckdb']}, extension {env['extension']}; "
             f"focus-converter venv: {env['fc']}.\n")
    L.append("Command:\n")
    L.append("```")
    L.append(env["command"])
    L.append("```\n")
    L.append(f"Inputs (bench/gen_cur.py, seed {args.seed}):\n")
    L.append("| dataset | rows | files | on disk | generated in |")
    L.append("|---|---:|---:|---:|---:|")
    for d in datasets.values():
        L.append(f"| `{Path(d['path']).name}` | {d['rows']:,} | {d['files']} | {d['bytes'] / 1e6:,.0f} MB | "
                 f"{d.get('gen_seconds', 0):.0f} s{' (earlier run, reused)' if d.get('reused') else ''} |")
    L.append("")
    base = find(R, key="base")
    if base and "maxrss_mb" in base:
        L.append(f"A Python process with duckdb imported and the extension loaded, running nothing, peaks at "
                 f"{base['maxrss_mb']:.0f} MB RSS; every DuckDB row below includes that.\n")

    L.append(f"## Side by side, {args.rows:,} rows per format\n")
    L.append("wall = the statement's own time inside its process (focus-converter: the whole CLI process, "
             "start-up included); rows/s = input rows / wall; (a)/(b) = (a)'s wall over this row's, same "
             "thread count.\n")
    L.append("| format | case | threads | wall s | rows/s | peak RSS MB | (a)/(b) | note |")
    L.append("|---|---|---:|---:|---:|---:|---:|---|")
    for fmt in FORMATS:
        for r in [x for x in R if x.get("format") == fmt and not x.get("tag")]:
            ratio = ""
            if r.get("key") in ("b", "br") and "seconds" in r:
                a = find(R, key="a", format=fmt, threads=r["threads"], tag="")
                if a and "seconds" in a:
                    ratio = f"{a['seconds'] / r['seconds']:.2f}"
            note = r.get("error", "")
            if r.get("key") == "c" and "seconds" in r:
                note = f"{r.get('rows', 0):,} rows, {r.get('out_columns')} columns, {r.get('out_files')} files"
            if r.get("rows") is not None and r.get("key") in ("a", "b", "br") and r.get("rows") != r.get("input_rows"):
                note = (note + f" ROW COUNT {r['rows']:,} ≠ input").strip()
            L.append(f"| {fmt} | {r['label']} | {r.get('threads') or ''} | {fmt_s(r)} | {fmt_rate(r)} | {fmt_mb(r)} | "
                     f"{ratio} | {note} |")
    L.append("")

    multi = [x for x in R if x.get("tag") == "_multi"]
    if multi:
        L.append(f"## Thread scaling on multi-file input ({args.multi_files} files × {args.rows // args.multi_files:,} "
                 f"rows, {args.multi_format})\n")
        L.append("| case | threads | wall s | rows/s | peak RSS MB | 2 threads vs 1 |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for key in ("a", "au", "b"):
            r1 = find(R, key=key, tag="_multi", threads=1)
            r2 = find(R, key=key, tag="_multi", threads=2)
            for r in (r1, r2):
                if not r:
                    continue
                sp = ""
                if r is r2 and r1 and "seconds" in r1 and "seconds" in r2:
                    sp = f"{r1['seconds'] / r2['seconds']:.2f}×"
                L.append(f"| {r['label']} | {r['threads']} | {fmt_s(r)} | {fmt_rate(r)} | {fmt_mb(r)} | {sp} |")
        L.append("")

    full = [x for x in R if x.get("tag") == "_full"]
    if full:
        L.append(f"## Memory at {args.full_rows:,} rows ({args.full_format})\n")
        L.append("| case | rows | threads | wall s | rows/s | peak RSS MB |")
        L.append("|---|---:|---:|---:|---:|---:|")
        small = [find(R, key=k, format=args.full_format, tag="", threads=2) for k in ("d", "a", "f", "g")]
        for r in small + full:
            if r:
                L.append(f"| {r['label']} | {r['input_rows']:,} | {r['threads']} | {fmt_s(r)} | {fmt_rate(r)} | {fmt_mb(r)} |")
        L.append("")

    L.append("## Targets\n")
    L.append("| target | measured | verdict |")
    L.append("|---|---|---|")
    for fmt in FORMATS:
        for t in (1, 2):
            a, b = find(R, key="a", format=fmt, threads=t, tag=""), find(R, key="b", format=fmt, threads=t, tag="")
            ok, meas = None, "—"
            if a and b and "seconds" in a and "seconds" in b:
                ratio = a["seconds"] / b["seconds"]
                ok, meas = ratio <= TARGET_RATIO_B, f"{ratio:.2f}"
            L.append(f"| (a) ≤ {TARGET_RATIO_B} × (b), {fmt}, {t} thread{'s' if t > 1 else ''} | {meas} | {verdict(ok)} |")
    for fmt in FORMATS:
        a, c = find(R, key="a", format=fmt, threads=2, tag=""), find(R, key="c", format=fmt)
        ok, meas = None, (c.get("error", "—") if c else "—")
        if a and c and "seconds" in a and "seconds" in c:
            sp = c["seconds"] / a["seconds"]
            ok, meas = sp >= TARGET_VS_FC, f"(c)/(a) = {sp:.2f} ((c) {c['seconds']:.1f} s, (a) {a['seconds']:.1f} s)"
        L.append(f"| (a) ≥ {TARGET_VS_FC:.0f}× faster than focus-converter, {fmt} | {meas} | {verdict(ok)} |")
    a1 = find(R, key="a", format=args.full_format, threads=2, tag="")
    a10 = find(R, key="a", format=args.full_format, threads=2, tag="_full")
    ok, meas = None, "not run (needs --full)"
    if a1 and a10 and "maxrss_mb" in a1 and "maxrss_mb" in a10 and "seconds" in a10:
        g = a10["maxrss_mb"] / a1["maxrss_mb"]
        ok = g <= TARGET_RSS_GROWTH and a10["maxrss_mb"] <= TARGET_RSS_MB
        meas = f"{a10['maxrss_mb']:.0f} MB at {args.full_rows // 1_000_000}M vs {a1['maxrss_mb']:.0f} MB at {args.rows / 1e6:g}M ({g:.2f}×)"
    elif a10 and "error" in a10:
        meas = a10["error"]
    L.append(f"| (a) RSS at 10M ≤ {TARGET_RSS_GROWTH} × RSS at 1M and ≤ {TARGET_RSS_MB} MB, {args.full_format} | {meas} | {verdict(ok)} |")
    f1 = find(R, key="f", format=args.full_format, threads=2, tag="")
    f10 = find(R, key="f", format=args.full_format, threads=2, tag="_full")
    ok, meas = None, "not run (needs --full)"
    if f1 and f10 and "maxrss_mb" in f1 and "maxrss_mb" in f10 and "seconds" in f10:
        g = f10["maxrss_mb"] / f1["maxrss_mb"]
        ok = g <= TARGET_RSS_GROWTH and f10["maxrss_mb"] <= TARGET_RSS_MB
        meas = f"{f10['maxrss_mb']:.0f} MB at {args.full_rows // 1_000_000}M vs {f1['maxrss_mb']:.0f} MB at {args.rows / 1e6:g}M ({g:.2f}×)"
    L.append(f"| (f) same, to_focus without the Parquet writer (CSV to /dev/null) | {meas} | {verdict(ok)} |")
    r1, r2 = find(R, key="a", tag="_multi", threads=1), find(R, key="a", tag="_multi", threads=2)
    ok, meas = None, "—"
    if r1 and r2 and "seconds" in r1 and "seconds" in r2:
        sp = r1["seconds"] / r2["seconds"]
        ok, meas = sp >= TARGET_SCALING, f"{sp:.2f}×"
    elif r2 and "error" in r2:
        meas = r2["error"]
    L.append(f"| (a) 2 threads ≥ {TARGET_SCALING}× 1 thread, {args.multi_files}-file {args.multi_format} | {meas} | {verdict(ok)} |")
    r1, r2 = find(R, key="au", tag="_multi", threads=1), find(R, key="au", tag="_multi", threads=2)
    ok, meas = None, "—"
    if r1 and r2 and "seconds" in r1 and "seconds" in r2:
        sp = r1["seconds"] / r2["seconds"]
        ok, meas = sp >= TARGET_SCALING, f"{sp:.2f}×"
    L.append(f"| (a-unordered) the same with `SET preserve_insertion_order = false` | {meas} | {verdict(ok)} |")
    L.append("")

    if comparisons:
        L.append("## Do (a) and (b) produce the same rows?\n")
        L.append("Per-column fingerprints of the 2-thread outputs, independent of row order: count of values, "
                 "sum of each decimal column, sum of the hashes of the text of every other column.\n")
        L.append("| format | (a) vs | rows | columns | columns whose values differ | type differences |")
        L.append("|---|---|---|---|---|---|")
        for (fmt, key), cmp in comparisons.items():
            if "error" in cmp:
                L.append(f"| {fmt} | ({key}) | — | — | {cmp['error']} | |")
                continue
            extra = ""
            if cmp["only_a"] or cmp["only_b"]:
                extra = f" (only (a): {', '.join(cmp['only_a']) or '-'}; only ({key}): {', '.join(cmp['only_b']) or '-'})"
            L.append(f"| {fmt} | ({'b-rendered' if key == 'br' else key}) | {cmp['rows_a']:,} / {cmp['rows_b']:,} | "
                     f"{cmp['columns_a']} / {cmp['columns_b']}{extra} | {', '.join(cmp['value_diff']) or 'none'} | "
                     f"{', '.join(cmp['type_diff']) or 'none'} |")
        L.append("")

    L.append("## How to read this\n")
    L.append("- (a) `COPY (FROM to_focus('<input>')) TO 'out.parquet'`: the extension reads, maps and DuckDB writes.")
    L.append("- (b) DuckDB alone: read_csv/read_parquet, the mapping the extension renders (`focus_sql('aws')`) with "
             "its map expressions (Tags, x_Discounts, product attributes) written the way a DuckDB user would for "
             "this file (JSON by string concatenation over flat tag columns), COPY to Parquet. Same columns, types "
             "and values as (a) (see the fingerprints). Its time includes sniffing the CSV header (DESCRIBE).")
    L.append("- (b-rendered) the `focus_sql('aws')` text unchanged over real MAP columns (built from the flat CUR 1.0 "
             "columns where needed): what Spark/dbt users of the rendered SQL would run.")
    L.append("- (c) focus-converter 1.0.0 with `--no-export-include-source-columns` (its default also copies every "
             "source column). `aws-cur` reads the whole CSV into memory with polars, which decompresses the .csv.gz "
             "itself (so it is given the .gz); `aws` streams the Athena Parquet in 50k-row batches through pyarrow. "
             f"Its wall includes its own start-up ({env.get('fc_startup', '?')} s for `focus-converter list-providers`). "
             "Its peak RSS is the largest single process; \"tree\" is the peak summed PSS of the CLI and the writer "
             "processes it forks. It emits FOCUS 1.0-preview names and 34 columns, not FOCUS 1.2.")
    L.append("- (d) a bare count(*) by DuckDB's reader (CSV with the sniffed columns given, so no sniffing); for "
             "Parquet it is answered from the footers without reading data pages.")
    L.append("- (e) `read_aws_cur` count + one decimal sum: the extension's reader alone.")
    L.append("- One run per case, no repetition: on a shared 2-core machine expect ±10–20 % noise.")
    return "\n".join(L) + "\n"


# ------------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ext", help="path of focus.duckdb_extension")
    ap.add_argument("--full", action="store_true", help="also the 10M-row memory case (adds ~25 min)")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--full-rows", type=int, default=10_000_000)
    ap.add_argument("--full-format", default="cur2-parquet", choices=FORMATS)
    ap.add_argument("--multi-files", type=int, default=8)
    ap.add_argument("--multi-format", default="cur1-csv-gz", choices=FORMATS)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--rendered", default="cur2-parquet",
                    help="formats on which to also run focus_sql()'s text unchanged (slow: maps); 'all' or a list")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data-dir", type=Path, default=HERE / "data")
    ap.add_argument("--out-dir", type=Path, default=HERE / "out")
    ap.add_argument("--results", type=Path, default=HERE / "results.md")
    ap.add_argument("--skip-fc", action="store_true", help="do not run focus-converter")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the DuckDB cases")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per case")
    ap.add_argument("--resume", action="store_true", help="reuse the finished cases of an interrupted run (same build)")
    ap.add_argument("--prepare-only", action="store_true", help="generate the inputs and the focus-converter venv, then stop")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return
    if not args.ext:
        ap.error("--ext is required")
    if not Path(args.ext).exists():
        ap.error(f"{args.ext} does not exist (make release)")
    formats = [f for f in args.formats.split(",") if f]
    rendered_formats = FORMATS if args.rendered == "all" else [f for f in args.rendered.split(",") if f]
    started = dt.datetime.now().isoformat(timespec="seconds")
    t_start = time.time()
    load_before = loadavg()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    bench = Bench(args)
    import duckdb

    cmdline = "python bench/run_bench.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    env = {"python": platform.python_version(), "duckdb": duckdb.__version__, "machine": machine_info(),
           "command": ("make bench   # runs: " + cmdline) if os.environ.get("MAKELEVEL") else cmdline}
    try:
        c = duckdb.connect(config={"allow_unsigned_extensions": "true"})
        c.execute(f"LOAD '{bench.ext}'")
        env["extension"] = " ".join(str(x) for x in c.execute("SELECT extension_version FROM focus_version()").fetchone())
        if c.execute("SELECT count(*) FROM duckdb_functions() WHERE function_name = 'focus_sql'").fetchone()[0]:
            bench.rendered = args.out_dir / "focus_sql_aws.sql"
            bench.rendered.write_text(c.execute("SELECT sql FROM focus_sql('aws')").fetchone()[0])
        c.close()
    except Exception as e:  # noqa: BLE001
        env["extension"] = f"(could not load: {e})"

    print(f"[bench] load average {load_before}; data in {args.data_dir}", flush=True)
    datasets = {}
    for fmt in formats:
        datasets[fmt] = ensure_dataset(args, fmt, args.rows, 1, bench.logs)
    datasets[f"{args.multi_format}_multi"] = ensure_dataset(args, args.multi_format, args.rows, args.multi_files, bench.logs)
    if args.full:
        datasets[f"{args.full_format}_full"] = ensure_dataset(args, args.full_format, args.full_rows, 1, bench.logs)

    fc, fc_err = (None, "skipped (--skip-fc)") if args.skip_fc else ensure_fc(bench.logs)
    env["fc"] = fc_version_info(fc) if fc else fc_err
    if args.prepare_only:
        for d in datasets.values():
            print(f"[bench] {d['path']}: {d['rows']:,} rows, {d['bytes'] / 1e6:,.0f} MB, "
                  f"{'reused' if d.get('reused') else 'generated in %.0f s' % d['gen_seconds']}")
        print(f"[bench] focus-converter: {env['fc']}")
        return
    if fc:
        m = run_measured([str(fc), "list-providers"], bench.logs / "fc_startup.log", timeout=300)
        env["fc_startup"] = f"{m['wall']:.1f}"

    print("[bench] cases", flush=True)
    bench.baseline()
    comparisons = {}
    for fmt in formats:
        d = datasets[fmt]
        path, rows = Path(d["path"]), d["rows"]
        bench.case_d(fmt, path, rows)
        bench.case_e(fmt, path, rows)
        for t in (2, 1):
            bench.case_a(fmt, path, rows, t)
            bench.case_b(fmt, path, rows, t)
        if fmt in rendered_formats:
            bench.case_b(fmt, path, rows, 2, variant="rendered")
        bench.case_c(fmt, path, rows, fc, fc_err)
        a = args.out_dir / f"a_to_focus_{fmt}_t2.parquet"
        if args.full and fmt == args.full_format:
            bench.case_f(fmt, path, rows)
            bench.case_g(fmt, rows, a)
        for key in ("b", "br"):
            rb = find(bench.results, key=key, format=fmt, threads=2, tag="")
            ra = find(bench.results, key="a", format=fmt, threads=2, tag="")
            b_out = args.out_dir / f"{key}_duckdb_sql_{fmt}_t2.parquet"
            if ra and rb and "seconds" in ra and "seconds" in rb and a.exists() and b_out.exists():
                try:
                    comparisons[(fmt, key)] = compare_outputs(a, args.out_dir / f"{key}_duckdb_sql_{fmt}_t2.parquet")
                except Exception as e:  # noqa: BLE001
                    comparisons[(fmt, key)] = {"error": str(e)[:200]}

    dm = datasets[f"{args.multi_format}_multi"]
    for t in (1, 2):
        bench.case_a(args.multi_format, Path(dm["path"]), dm["rows"], t, tag="_multi")
    for t in (1, 2):
        bench.case_a(args.multi_format, Path(dm["path"]), dm["rows"], t, tag="_multi", unordered=True)
    for t in (1, 2):
        bench.case_b(args.multi_format, Path(dm["path"]), dm["rows"], t, tag="_multi")

    if args.full:
        df = datasets[f"{args.full_format}_full"]
        bench.case_d(args.full_format, Path(df["path"]), df["rows"], tag="_full")
        bench.case_a(args.full_format, Path(df["path"]), df["rows"], 2, tag="_full")
        bench.case_f(args.full_format, Path(df["path"]), df["rows"], tag="_full")

    # Outputs are large: keep the logs, drop the data.
    for p in args.out_dir.glob("*.parquet"):
        p.unlink()
    for p in args.out_dir.glob("c_focus_converter_*"):
        shutil.rmtree(p, ignore_errors=True)

    load_after = loadavg()
    elapsed = time.time() - t_start
    md = report(args, bench, datasets, env, comparisons, started, load_before, load_after, elapsed)
    args.results.write_text(md)
    (args.out_dir / "results.json").write_text(json.dumps(
        {"started": started, "env": env, "datasets": datasets, "results": bench.results,
         "comparisons": {f"{k[0]} a vs {k[1]}": v for k, v in comparisons.items()}},
        indent=1, default=str))
    print()
    print(md)
    print(f"[bench] wrote {args.results} in {elapsed / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
