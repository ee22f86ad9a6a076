#!/usr/bin/env python3
"""Azure Blob Storage and Google Cloud Storage integration tests, on loopback servers.

Azure (az://, abfss://) against Azurite, Microsoft's storage emulator (npm package, started
here on 127.0.0.1 with in-memory storage). The samples and fixtures are uploaded with the
azure-storage-blob SDK, then every reader must return from the container exactly the rows it
returns from local disk: Cost Management CSV (EA, MCA, a header variant), an export folder with
two runs (manifest-aware: the newest run only), Parquet, a glob, folders with a trailing '/',
to_focus and read_focus. The extension is configured the two ways users do:
  - object_store's emulator convention: AZURE_STORAGE_USE_EMULATOR=true and
    AZURITE_BLOB_STORAGE_URL, with az:// and abfss://...@devstoreaccount1.dfs.core.windows.net;
  - explicit: AZURE_STORAGE_ACCOUNT_NAME + AZURE_STORAGE_ACCOUNT_KEY (or AZURE_STORAGE_SAS_TOKEN)
    and `endpoint := 'http://127.0.0.1:PORT/devstoreaccount1'` on the reader call.
Faults, each a clear error within BOUND_S seconds that names the URI, the connection usable
afterwards: missing container, missing blob, wrong account key (403), unreachable endpoint,
Azurite killed mid-read of a ~20 MB blob; a SAS token never appears in an error or a plan.
No credentials at all (the managed-identity fallback) runs only in a network namespace of its
own (see below).

Google Cloud Storage (gs://) against moto_server. object_store's GCS client speaks GCS's XML
API, which is S3-interoperable for what the readers use (list: GET /bucket?list-type=2&prefix=,
read: GET /bucket/key with Range, HEAD), so moto serves it; the client is pointed there by a
service-account file with `gcs_base_url` and `disable_oauth` (no Authorization header; the
objects are uploaded public-read so moto serves anonymous reads; the bucket name has no '-',
which object_store sends percent-encoded and moto would not decode). Checked: every GCP export form
(BigQuery flattened CSV, NDJSON, Parquet), to_focus, read_focus, and faults (missing bucket,
missing object, unreachable base URL).
NOT tested here (needs Google, not available offline): the OAuth token exchange of a real
service-account key, application-default credentials, the metadata server, and how GCS's
JSON-API-only features behave; moto's answers stand in for GCS's XML API answers.

Each configuration runs in its own child process (`test_cloud.py --part NAME --ctx FILE`):
object_store reads the environment when the extension first builds a store. The parent starts
the servers, uploads, runs the children one after another, and sums their results.

Loopback only: AWS_*/AZURE_*/AZURITE_*/GOOGLE_*/GCE_* and proxy variables inherited from the
environment are dropped; every child has explicit credentials or emulator settings, HOME in a
temporary folder (no real ~/.azure, ~/.config/gcloud), and the metadata endpoints
(AZURE_MSI_ENDPOINT, GCE_METADATA_HOST/IP) pointed at a loopback "tripwire" listener that
must see no request: a client that would fall back to a metadata service fails the test
instead of reaching 169.254.169.254. The two "no credentials" parts, where the fallback is the
point, run under `unshare -n` (a network namespace with nothing but loopback; the part refuses
to run if it sees another interface) with their own tripwire, which must see the fallback's
request; without unshare/ip they are skipped. Azurite runs with --disableTelemetry.

Usage: test_cloud.py --ext build/release/focus.duckdb_extension --samples ../shared/samples
                     --azurite build/azurite/node_modules/.bin/azurite-blob [--only PART,...]
"""

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "test" / "s3"))
from test_s3 import Moto, free_port, same_rows, still_usable, timed_error  # noqa: E402

SLOW_PROXY = ROOT / "test" / "s3" / "slow_proxy.py"

CONTAINER = "billing"
# Letters and digits only: object_store percent-encodes every other character of the bucket
# name in the request path ('-' as %2D), which GCS decodes and moto does not.
GCS_BUCKET = "gcsbilling"
ACCOUNT = "devstoreaccount1"
# Azurite's well-known development account key (public, documented by Microsoft).
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
# A well-formed key that is not the account's (for the 403 case).
WRONG_KEY = base64.b64encode(b"focus-test: not the devstoreaccount1 key, 64 bytes long........").decode()
ABFSS_HOST = f"{ACCOUNT}.dfs.core.windows.net"

# Every fault must surface within this many seconds (retries and timeouts included).
BOUND_S = 45
# A query still running after this long is interrupted (a check fails; the run goes on).
QUERY_LIMIT_S = 150
# A child process still running after this long is killed (its part fails).
PART_LIMIT_S = 480

# Expected error wording, lowercase: an error passes when it contains one word of its set.
# The exact messages are the extension's to choose; tune these sets, not the checks.
WORDS = {
    "not_found": ("not found", "no such", "does not exist"),
    "denied": ("denied", "403", "authoriz", "authentic"),
    "unreachable": ("connect", "unreachable", "no answer", "timed out"),
    "no_credentials": ("credential", "managed identity", "metadata", "token"),
    "throttl": ("503", "throttl"),
    "broken": (
        "connect", "closed", "reset", "incomplete", "eof", "body", "truncat", "abort",
        "stalled", "broken", "error decoding", "unexpected end",
    ),
}

# Inherited variables that could point a client at real services or real credentials.
DROP_PREFIXES = ("AWS_", "AZURE_", "AZURITE_", "GOOGLE_", "GCE_", "GCS_", "CLOUDSDK_", "MSI_", "IDENTITY_")
DROP_NAMES = {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "IMDS_ENDPOINT", "FOCUS_ENABLE_TEST_HOOKS"}


# ---- shared helpers ---------------------------------------------------------------------------

failures: list[str] = []
passed = 0


def check(name: str, ok: bool, detail: str = "") -> None:
    global passed
    if ok:
        passed += 1
        print(f"ok   {name}", flush=True)
    else:
        failures.append(name)
        print(f"FAIL {name} {detail}", flush=True)


def first_line(e: object, n: int = 400) -> str:
    s = str(e)
    return (s.splitlines()[0] if s else s)[:n]


def wait_port(port: int, proc: subprocess.Popen | None, what: str, limit: float = 30) -> None:
    deadline = time.time() + limit
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {limit:.0f}s")


class Azurite:
    """An azurite-blob process on a free loopback port, storage in memory, no telemetry."""

    def __init__(self, binary: str, workdir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.account_url = f"{self.url}/{ACCOUNT}"
        workdir.mkdir(parents=True, exist_ok=True)
        self.log = tempfile.TemporaryFile()
        t = time.time()
        self.proc = subprocess.Popen(
            [
                binary,
                "--blobHost", "127.0.0.1",
                "--blobPort", str(self.port),
                "--inMemoryPersistence",  # cannot be combined with --location: cwd is workdir
                "--skipApiVersionCheck",
                "--loose",
                "--silent",
                "--disableTelemetry",  # on by default: it would send usage data off the machine
                "--disableProductStyleUrl",  # the account is always the first path segment
            ],
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_port(self.port, self.proc, "azurite-blob")
        except RuntimeError as e:
            self.kill()
            raise RuntimeError(f"{e}: {self.output()[-800:]}") from None
        self.started_in = time.time() - t

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


def blob_service(account_url: str):
    from azure.storage.blob import BlobServiceClient

    return BlobServiceClient.from_connection_string(
        f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
        f"BlobEndpoint={account_url};"
    )


def upload_blobs(container, local: Path, prefix: str) -> int:
    n = 0
    for p in sorted(local.rglob("*")):
        if p.is_file():
            with open(p, "rb") as f:
                container.upload_blob(f"{prefix}/{p.relative_to(local).as_posix()}", f, overwrite=True)
            n += 1
    return n


class Tripwire:
    """A loopback listener standing in for every cloud metadata endpoint (Azure IMDS, the GCE
    metadata server). Counts requests, and answers as those services do on a VM without an
    identity (IMDS: 400 "Identity not found"; GCE: 404): a client falling back to a metadata
    service lands here, never on 169.254.169.254."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            try:
                c.settimeout(2)
                head = b""
                while b"\r\n\r\n" not in head and len(head) < 65536:
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    head += chunk
                line = head.split(b"\r\n", 1)[0].decode(errors="replace")
                self.requests.append(line)
                if "/metadata/identity/" in line:
                    status = "400 Bad Request"
                    body = b'{"error":"invalid_request","error_description":"Identity not found"}'
                else:
                    status, body = "404 Not Found", b"Not Found"
                c.sendall(
                    f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                    "Connection: close\r\n\r\n".encode() + body
                )
            except OSError:
                self.requests.append("(connection)")
            finally:
                c.close()

    def env(self) -> dict:
        return {
            "AZURE_MSI_ENDPOINT": f"http://127.0.0.1:{self.port}/metadata/identity/oauth2/token",
            "GCE_METADATA_HOST": f"127.0.0.1:{self.port}",
            "GCE_METADATA_IP": f"127.0.0.1:{self.port}",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": f"http://127.0.0.1:{self.port}",
        }

    def close(self) -> None:
        self.sock.close()


# ---- child side: one configuration, one DuckDB process ----------------------------------------


def guarded(con, fn):
    """Runs fn(); interrupts the connection if it takes longer than QUERY_LIMIT_S."""
    timer = threading.Timer(QUERY_LIMIT_S, con.interrupt)
    timer.start()
    try:
        return fn()
    finally:
        timer.cancel()


def usable(con) -> bool:
    try:
        return still_usable(con)
    except Exception:
        return False


def parity(con, cases, remote_of, ep: str = "") -> None:
    """Each case's remote rows are its local rows, exactly (multiset, both ways)."""
    for func, key, local, extra in cases:
        remote = remote_of(key)
        shown_ep = " [endpoint ending in '/']" if ep.endswith("/'") else ""
        name = f"parity {func}('{remote}'{extra}){shown_ep}"
        try:
            t0 = time.time()
            n, diff = guarded(con, lambda: same_rows(con, f"{func}('{local}'{extra})", f"{func}('{remote}'{ep}{extra})"))
            check(f"{name} [{n} rows, {time.time() - t0:.1f}s]", diff == 0 and n > 0, f"{diff} rows differ")
        except Exception as e:
            check(name, False, first_line(e))


def fault(con, name: str, sql: str, uri: str, words: tuple[str, ...], forbid: tuple[str, ...] = ()) -> None:
    """An error, within BOUND_S, naming `uri`, with one of WORDS[w] for some w in `words`,
    containing none of `forbid` (secrets), and the connection usable afterwards."""
    err, secs = guarded(con, lambda: timed_error(con, sql))
    shown = err or ""
    for f in forbid:
        if f:
            shown = shown.replace(f, "<SECRET>")
    problems = []
    if err is None:
        problems.append("no error")
    else:
        if uri not in err:
            problems.append(f"does not name {uri}")
        want = [w for k in words for w in WORDS[k]]
        if not any(w in err.lower() for w in want):
            problems.append(f"has none of {want}")
        if any(f and f in err for f in forbid):
            problems.append("LEAKS A SECRET")
    if secs >= BOUND_S:
        problems.append(f"took {secs:.1f}s, bound {BOUND_S}s")
    if not usable(con):
        problems.append("connection unusable afterwards")
    check(f"fault: {name} ({secs:.1f}s)", not problems, "; ".join(problems) + f" | error: {shown[:500]!r}")
    if not problems:  # the message is the product here: show it
        print("       " + shown.splitlines()[0][:300], flush=True)


def filename_is(con, func: str, remote: str, ep: str = "") -> None:
    name = f"filename of {func}('{remote}') is the URI"
    try:
        got = guarded(
            con,
            lambda: [r[0] for r in con.execute(f"SELECT DISTINCT filename FROM {func}('{remote}'{ep}, filename := true)").fetchall()],
        )
        check(name, got == [remote], str(got))
    except Exception as e:
        check(name, False, first_line(e))


def azure_cases(samples: Path, data: Path) -> list[tuple[str, str, str, str]]:
    """(function, key under the container, local path, extra arguments)."""
    S, D = samples, data
    az = "provider := 'azure'"
    return [
        ("read_azure_cost", "azure/ea-cost-details/EA_ActualCost_Small.csv", f"{S}/azure/ea-cost-details/EA_ActualCost_Small.csv", ""),
        ("read_azure_cost", "azure/mca-cost-details/camel_v2.csv", f"{S}/azure/mca-cost-details/camel_v2.csv", ""),
        ("read_azure_cost", "azure/header-variants/opencost_BOM.csv", f"{S}/azure/header-variants/opencost_BOM.csv", ""),
        ("read_azure_cost", "azure/header-variants/*.csv", f"{S}/azure/header-variants/*.csv", ""),
        ("read_azure_cost", "azure/ea-cost-details/", f"{S}/azure/ea-cost-details/", ""),
        # Cost Management export folder, two runs: the newest run's manifest decides.
        ("read_azure_cost", "azure-exports/daily-actual", f"{D}/azure/exports/daily-actual", ""),
        ("read_azure_cost", "azure-exports/daily-actual/", f"{D}/azure/exports/daily-actual/", ""),
        ("read_azure_cost", "azure-exports/daily-actual", f"{D}/azure/exports/daily-actual", ", all_versions := true"),
        ("read_azure_cost", "azure-parquet/EA_ActualCost_Small_typed.parquet", f"{D}/azure/parquet/EA_ActualCost_Small_typed.parquet", ""),
        ("read_azure_cost", "azure-parquet/", f"{D}/azure/parquet/", ""),
        ("to_focus", "azure/ea-cost-details/EA_ActualCost_Small.csv", f"{S}/azure/ea-cost-details/EA_ActualCost_Small.csv", f", {az}"),
        ("to_focus", "azure-exports/daily-actual", f"{D}/azure/exports/daily-actual", f", {az}"),
        ("read_focus", "focus/FOCUS-1.0_focus_sample.csv", f"{S}/focus-multi/FOCUS-1.0_focus_sample.csv", ""),
        ("read_focus", "azure/focus/EA-Cost-FOCUS_1.0_1000rows.csv", f"{S}/azure/focus/EA-Cost-FOCUS_1.0_1000rows.csv", ""),
        # any reader on any store
        ("read_gcp_billing", "gcp/bigquery-detailed-flattened-csv", f"{S}/gcp/bigquery-detailed-flattened-csv", ""),
    ]


def gcs_cases(samples: Path, data: Path) -> list[tuple[str, str, str, str]]:
    S, D = samples, data
    return [
        # BigQuery export, flattened CSV: a folder, with '/', a glob, a single file
        ("read_gcp_billing", "gcp/bigquery-detailed-flattened-csv", f"{S}/gcp/bigquery-detailed-flattened-csv", ""),
        ("read_gcp_billing", "gcp/bigquery-detailed-flattened-csv/", f"{S}/gcp/bigquery-detailed-flattened-csv/", ""),
        ("read_gcp_billing", "gcp/bigquery-detailed-flattened-csv/*.csv", f"{S}/gcp/bigquery-detailed-flattened-csv/*.csv", ""),
        ("read_gcp_billing", "gcp/bigquery-standard-flattened-csv/tmp_example.csv", f"{S}/gcp/bigquery-standard-flattened-csv/tmp_example.csv", ""),
        # the export as it leaves BigQuery: Parquet and NDJSON (nested), and the CSV of the same rows
        ("read_gcp_billing", "gcp-fixtures/export.parquet", f"{D}/gcp/export.parquet", ""),
        ("read_gcp_billing", "gcp-fixtures/export.ndjson", f"{D}/gcp/export.ndjson", ""),
        ("read_gcp_billing", "gcp-fixtures/export.csv", f"{D}/gcp/export.csv", ""),
        ("to_focus", "gcp-fixtures/export.parquet", f"{D}/gcp/export.parquet", ", provider := 'gcp'"),
        ("to_focus", "gcp/bigquery-detailed-flattened-csv", f"{S}/gcp/bigquery-detailed-flattened-csv", ", provider := 'gcp'"),
        ("read_focus", "focus/FOCUS-1.0_focus_sample.csv", f"{S}/focus-multi/FOCUS-1.0_focus_sample.csv", ""),
    ]


def part_azure_emulator(con, ctx) -> None:
    """AZURE_STORAGE_USE_EMULATOR + AZURITE_BLOB_STORAGE_URL: no endpoint parameter."""
    cases = azure_cases(Path(ctx["samples"]), Path(ctx["data"]))
    parity(con, cases, lambda k: f"az://{CONTAINER}/{k}")
    parity(con, cases, lambda k: f"abfss://{CONTAINER}@{ABFSS_HOST}/{k}")
    filename_is(con, "read_azure_cost", f"az://{CONTAINER}/azure/ea-cost-details/EA_ActualCost_Small.csv")
    filename_is(con, "read_azure_cost", f"abfss://{CONTAINER}@{ABFSS_HOST}/azure/ea-cost-details/EA_ActualCost_Small.csv")
    key = (ACCOUNT_KEY,)
    fault(con, "missing container", "SELECT * FROM read_azure_cost('az://nosuchcontainer/x.csv')",
          "az://nosuchcontainer", ("not_found",), key)
    uri = f"az://{CONTAINER}/azure/nope.csv"
    fault(con, "missing blob", f"SELECT * FROM read_azure_cost('{uri}')", uri, ("not_found",), key)
    uri = f"abfss://{CONTAINER}@{ABFSS_HOST}/azure/nope.csv"
    fault(con, "missing blob (abfss://)", f"SELECT * FROM read_azure_cost('{uri}')", uri, ("not_found",), key)


def part_azure_key(con, ctx) -> None:
    """AZURE_STORAGE_ACCOUNT_NAME + AZURE_STORAGE_ACCOUNT_KEY, endpoint := on the call."""
    ep = f", endpoint := '{ctx['azurite_account_url']}'"
    cases = azure_cases(Path(ctx["samples"]), Path(ctx["data"]))
    parity(con, cases, lambda k: f"az://{CONTAINER}/{k}", ep)
    # the account named in the URI (equal to the environment's here)
    parity(con, cases[:1] + cases[5:6], lambda k: f"abfss://{CONTAINER}@{ABFSS_HOST}/{k}", ep)
    # an endpoint written with a trailing '/' is the same endpoint (a listing and a read)
    parity(con, cases[4:5] + cases[:1], lambda k: f"az://{CONTAINER}/{k}", ep[:-1] + "/'")
    filename_is(con, "read_azure_cost", f"az://{CONTAINER}/azure/ea-cost-details/EA_ActualCost_Small.csv", ep)
    key = (ACCOUNT_KEY,)
    fault(con, "missing container", f"SELECT * FROM read_azure_cost('az://nosuchcontainer/x.csv'{ep})",
          "az://nosuchcontainer", ("not_found",), key)
    uri = f"az://{CONTAINER}/azure/nope.csv"
    fault(con, "missing blob", f"SELECT * FROM read_azure_cost('{uri}'{ep})", uri, ("not_found",), key)
    uri = f"az://{CONTAINER}/azure/ea-cost-details/EA_ActualCost_Small.csv"
    fault(
        con,
        "unreachable endpoint",
        f"SELECT * FROM read_azure_cost('{uri}', endpoint := 'http://127.0.0.1:{ctx['closed_port']}/{ACCOUNT}')",
        uri,
        ("unreachable",),
        key,
    )


def part_azure_sas(con, ctx) -> None:
    """AZURE_STORAGE_SAS_TOKEN (read+list on the container): reads work, the token never shows."""
    ep = f", endpoint := '{ctx['azurite_account_url']}'"
    S, D = ctx["samples"], ctx["data"]
    parity(
        con,
        [
            ("read_azure_cost", "azure/ea-cost-details/", f"{S}/azure/ea-cost-details/", ""),
            ("read_azure_cost", "azure-exports/daily-actual", f"{D}/azure/exports/daily-actual", ""),
        ],
        lambda k: f"az://{CONTAINER}/{k}",
        ep,
    )
    sig = ctx["sas_sig"]
    secrets = (sig, ctx["sas_sig_quoted"], "sig=", ctx["sas"])
    uri = f"az://{CONTAINER}/azure/nope.csv"
    fault(con, "missing blob, SAS not in the error", f"SELECT * FROM read_azure_cost('{uri}'{ep})", uri, ("not_found",), secrets)
    # the token is for container 'billing' only
    fault(
        con,
        "other container, SAS not in the error",
        f"SELECT * FROM read_azure_cost('az://nosuchcontainer/x.csv'{ep})",
        "az://nosuchcontainer",
        ("not_found", "denied"),
        secrets,
    )
    try:
        plan = "\n".join(
            str(r)
            for r in con.execute(
                f"EXPLAIN ANALYZE SELECT count(*) FROM read_azure_cost('az://{CONTAINER}/azure/ea-cost-details/'{ep})"
            ).fetchall()
        )
        check("EXPLAIN ANALYZE shows no SAS token", len(plan) > 0 and not any(s in plan for s in secrets), plan[:200])
    except Exception as e:
        check("EXPLAIN ANALYZE shows no SAS token", False, first_line(e))


def part_azure_wrong_key(con, ctx) -> None:
    """A well-formed account key that is not the account's: 403, the key never shows."""
    ep = f", endpoint := '{ctx['azurite_account_url']}'"
    uri = f"az://{CONTAINER}/azure/ea-cost-details/EA_ActualCost_Small.csv"
    fault(con, "wrong account key, one blob", f"SELECT * FROM read_azure_cost('{uri}'{ep})", uri, ("denied",), (WRONG_KEY,))
    uri = f"az://{CONTAINER}/azure/ea-cost-details/"
    fault(con, "wrong account key, a folder (listing)", f"SELECT * FROM read_azure_cost('{uri}'{ep})",
          uri.rstrip("/"), ("denied",), (WRONG_KEY,))


def part_azure_killed(con, ctx) -> None:
    """Azurite killed while the query streams a ~20 MB blob (through a rate-limited proxy, so the
    transfer is still under way whatever the machine's speed): an error, not a hang."""
    tmp = Path(tempfile.mkdtemp(prefix="kill-", dir=ctx["tmp"]))  # the parent removes it even after a kill
    srv = Azurite(ctx["azurite_bin"], tmp / "azurite")
    proxy = killer = None
    try:
        big = tmp / "big.csv"
        lines = (Path(ctx["samples"]) / "azure" / "ea-cost-details" / "EA_ActualCost_Small.csv").read_text(
            encoding="utf-8-sig"
        ).splitlines(keepends=True)
        with open(big, "w", encoding="utf-8") as g:
            g.write(lines[0])
            for _ in range(1800):
                g.writelines(lines[1:])
        c = blob_service(srv.account_url).create_container(CONTAINER)
        with open(big, "rb") as f:
            c.upload_blob("big/big.csv", f, overwrite=True)
        uri = f"az://{CONTAINER}/big/big.csv"
        local_n = con.execute(f"SELECT count(*) FROM read_azure_cost('{big}')").fetchone()[0]
        try:
            n = guarded(con, lambda: con.execute(
                f"SELECT count(*) FROM read_azure_cost('{uri}', endpoint := '{srv.account_url}')").fetchone()[0])
            check(f"large blob read in full, direct ({big.stat().st_size >> 20} MB)", n == local_n and n > 0, f"{n} vs {local_n}")
        except Exception as e:
            check("large blob read in full, direct", False, first_line(e))

        def slow(rate: str, fail_first: str = "0") -> tuple[subprocess.Popen, int]:
            port = free_port()
            p = subprocess.Popen([sys.executable, str(SLOW_PROXY), str(port), str(srv.port), rate, fail_first])
            wait_port(port, p, "slow_proxy", 10)
            return p, port

        # A query interrupted mid-transfer stops, and the connection stays usable.
        proxy, port = slow("2000000")
        timer = threading.Timer(1.5, con.interrupt)
        timer.start()
        err, secs = timed_error(
            con, f"SELECT count(*) FROM read_azure_cost('{uri}', endpoint := 'http://127.0.0.1:{port}/{ACCOUNT}')"
        )
        timer.cancel()
        check(f"interrupt stops an Azure read mid-transfer ({secs:.1f}s)",
              err is not None and "nterrupt" in err and secs < 10 and usable(con), repr(err)[:300])
        proxy.kill()
        proxy.wait()

        # A server answering 503 to every request: an error after bounded retries.
        proxy, port = slow("0", "1000")
        small = f"az://{CONTAINER}/big/small.csv"
        c.upload_blob("big/small.csv", lines[0] + lines[1], overwrite=True)
        fault(con, "503 on every attempt",
              f"SELECT count(*) FROM read_azure_cost('{small}', endpoint := 'http://127.0.0.1:{port}/{ACCOUNT}')",
              small, ("throttl",), (ACCOUNT_KEY,))
        proxy.kill()
        proxy.wait()

        proxy, port = slow("2000000")
        killer = threading.Timer(1.5, srv.kill)
        killer.start()
        fault(
            con,
            "Azurite killed mid-read",
            f"SELECT count(*) FROM read_azure_cost('{uri}', endpoint := 'http://127.0.0.1:{port}/{ACCOUNT}')",
            uri,
            ("broken", "unreachable"),
            (ACCOUNT_KEY,),
        )
    finally:
        if killer is not None:
            killer.cancel()
            killer.join()
        srv.kill()
        if proxy is not None:
            proxy.kill()
            proxy.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def part_gcs(con, ctx) -> None:
    """GOOGLE_SERVICE_ACCOUNT: a file with gcs_base_url (moto_server) and disable_oauth."""
    parity(con, gcs_cases(Path(ctx["samples"]), Path(ctx["data"])), lambda k: f"gs://{GCS_BUCKET}/{k}")
    filename_is(con, "read_gcp_billing", f"gs://{GCS_BUCKET}/gcp-fixtures/export.parquet")
    fault(con, "missing bucket", "SELECT * FROM read_gcp_billing('gs://nosuchbucket/gcp/x.csv')",
          "gs://nosuchbucket", ("not_found",))
    uri = f"gs://{GCS_BUCKET}/gcp/nope.csv"
    fault(con, "missing object", f"SELECT * FROM read_gcp_billing('{uri}')", uri, ("not_found",))


GCS_TOKEN = "ya29.focus-test-access-token-SECRET"


def part_gcs_token(con, ctx) -> None:
    """GOOGLE_OAUTH_ACCESS_TOKEN (sent as the bearer token; moto accepts any): reads work, and
    the token appears in no error and no plan."""
    parity(con, gcs_cases(Path(ctx["samples"]), Path(ctx["data"]))[:2], lambda k: f"gs://{GCS_BUCKET}/{k}")
    uri = f"gs://{GCS_BUCKET}/gcp/nope.csv"
    fault(con, "missing object, token not shown", f"SELECT * FROM read_gcp_billing('{uri}')", uri,
          ("not_found",), forbid=(GCS_TOKEN, "SECRET"))
    plan = str(con.execute(
        f"EXPLAIN ANALYZE SELECT count(*) FROM read_gcp_billing('gs://{GCS_BUCKET}/gcp-fixtures/export.parquet')"
    ).fetchall())
    check("gcs token: not in EXPLAIN ANALYZE", "SECRET" not in plan)


def part_gcs_unreachable(con, ctx) -> None:
    """GOOGLE_SERVICE_ACCOUNT whose gcs_base_url is a closed loopback port."""
    uri = f"gs://{GCS_BUCKET}/gcp/bigquery-standard-flattened-csv/tmp_example.csv"
    fault(con, "unreachable base URL", f"SELECT * FROM read_gcp_billing('{uri}')", uri, ("unreachable",))


def part_azure_no_credentials(con, ctx) -> None:
    """No credentials at all (account name only): the client falls back to the managed identity
    (IMDS). Runs in a network namespace of its own, so nothing but its loopback is reachable."""
    uri = f"az://{CONTAINER}/azure/ea-cost-details/EA_ActualCost_Small.csv"
    fault(
        con,
        "no credentials (managed-identity fallback)",
        f"SELECT * FROM read_azure_cost('{uri}', endpoint := 'http://127.0.0.1:{free_port()}/{ACCOUNT}')",
        uri,
        ("no_credentials",),
    )


def part_gcs_no_credentials(con, ctx) -> None:
    """No credentials at all: the client falls back to application-default credentials (none
    in the empty HOME) and the metadata server. Own network namespace, as above."""
    uri = f"gs://{GCS_BUCKET}/gcp/bigquery-standard-flattened-csv/tmp_example.csv"
    fault(con, "no credentials (metadata-server fallback)", f"SELECT * FROM read_gcp_billing('{uri}')", uri, ("no_credentials",))


PARTS = {
    "azure-emulator": part_azure_emulator,
    "azure-key": part_azure_key,
    "azure-sas": part_azure_sas,
    "azure-wrong-key": part_azure_wrong_key,
    "azure-killed": part_azure_killed,
    "gcs": part_gcs,
    "gcs-token": part_gcs_token,
    "gcs-unreachable": part_gcs_unreachable,
    "azure-no-credentials": part_azure_no_credentials,
    "gcs-no-credentials": part_gcs_no_credentials,
}
# Parts whose client falls back to a metadata endpoint: each runs in a network namespace of its
# own (unshare -n, loopback only) with its own tripwire there, which must see the fallback.
ISOLATED = {"azure-no-credentials", "gcs-no-credentials"}


def run_part(part: str, ctx: dict) -> int:
    trip = None
    try:
        if part in ISOLATED:
            # Refuse to run where a fallback could leave the machine: loopback must be all there is.
            interfaces = [name for _, name in socket.if_nameindex()]
            if interfaces != ["lo"]:
                raise RuntimeError(f"not in a network namespace of its own (interfaces {interfaces})")
            trip = Tripwire()
            os.environ.update(trip.env())  # before the extension builds a store
        import duckdb

        con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
        con.execute(f"LOAD '{ctx['ext']}'")
        PARTS[part](con, ctx)
        con.close()
        if trip is not None:
            check(
                f"the fallback went to the loopback tripwire ({len(trip.requests)} requests), not a real metadata address",
                len(trip.requests) > 0,
                "no request: did the client read the metadata endpoint variables?",
            )
    except Exception as e:  # setup errors are one failure, not a traceback
        check("setup", False, f"{type(e).__name__}: {first_line(e)}")
    print("RESULT " + json.dumps({"passed": passed, "failed": failures}), flush=True)
    return 0


# ---- parent side: servers, uploads, children --------------------------------------------------


def child_env(base: dict, tmp: Path, part: str, trip: Tripwire, extra: dict) -> dict:
    home = tmp / "home" / part
    home.mkdir(parents=True, exist_ok=True)
    env = dict(base)
    env.update(trip.env())
    env.update({"HOME": str(home), "PYTHONUNBUFFERED": "1", "AWS_EC2_METADATA_DISABLED": "true"})
    env.update(extra)
    return env


# A network namespace with nothing but loopback, brought up: `unshare -n` (root) and iproute2.
NETNS_PREFIX = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"']


def netns_available() -> bool:
    if not (shutil.which("unshare") and shutil.which("ip")):
        return False
    try:
        return subprocess.run(NETNS_PREFIX + ["true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def run_child(part: str, ctx_file: Path, env: dict) -> tuple[int, list[str], str]:
    """Runs one part; streams its lines; returns (passed, failed names, problem or '')."""
    err = tempfile.TemporaryFile()
    prefix = NETNS_PREFIX if part in ISOLATED else []
    proc = subprocess.Popen(
        prefix + [sys.executable, str(Path(__file__).resolve()), "--part", part, "--ctx", str(ctx_file)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=err,
        text=True,
        start_new_session=True,  # its own process group: a hung child goes with what it started
    )
    result: dict = {}
    last: list[str] = [""]

    def read() -> None:
        for line in proc.stdout:
            line = line.rstrip("\n")
            if line.startswith("RESULT "):
                result.update(json.loads(line[len("RESULT "):]))
            else:
                last[0] = line
                print(f"[{part}] {line}", flush=True)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    problem = ""
    try:
        proc.wait(timeout=PART_LIMIT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        problem = f"no result within {PART_LIMIT_S}s, killed (last line: {last[0][:200]!r})"
    reader.join(timeout=10)
    if not problem and not result:
        err.seek(0)
        tail = err.read().decode(errors="replace")[-1500:]
        problem = f"exited with code {proc.returncode} without a result; stderr: {tail}"
    return result.get("passed", 0), result.get("failed", []), problem


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext")
    ap.add_argument("--samples")
    ap.add_argument("--azurite", help="the azurite-blob executable")
    ap.add_argument("--only", help="comma-separated parts to run (default: all)")
    ap.add_argument("--part", help=argparse.SUPPRESS)
    ap.add_argument("--ctx", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.part:
        return run_part(args.part, json.loads(Path(args.ctx).read_text()))
    if not (args.ext and args.samples and args.azurite):
        ap.error("--ext, --samples and --azurite are required")
    only = [p for p in (args.only or "").split(",") if p] or list(PARTS)
    unknown = [p for p in only if p not in PARTS]
    if unknown:
        ap.error(f"unknown part(s) {unknown}; parts: {', '.join(PARTS)}")

    ext = Path(args.ext).resolve()
    args.azurite = os.path.abspath(args.azurite)  # Azurite runs in its own folder
    samples = Path(args.samples).resolve()
    data = ROOT / "test" / "data"
    bin_dir = Path(sys.executable).parent

    # Loopback only: nothing inherited may point a client at a real service or credentials.
    for k in list(os.environ):
        if k.startswith(DROP_PREFIXES) or k.upper() in DROP_NAMES:
            del os.environ[k]
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    base_env = dict(os.environ)
    tmp = Path(tempfile.mkdtemp(prefix="focus-cloud-"))
    started = time.time()
    global passed
    azurite = moto = None
    try:
        # ---- Azurite: samples and fixtures in container 'billing' ----
        azurite = Azurite(args.azurite, tmp / "azurite")
        t = time.time()
        svc = blob_service(azurite.account_url)
        container = svc.create_container(CONTAINER)
        n = 0
        for prefix, local in {
            "azure": samples / "azure",
            "azure-exports": data / "azure" / "exports",
            "azure-parquet": data / "azure" / "parquet",
            "focus": samples / "focus-multi",
            "gcp": samples / "gcp",
        }.items():
            n += upload_blobs(container, local, prefix)
        listed = sum(1 for _ in container.list_blobs())
        check(f"Azurite {azurite.url}: up in {azurite.started_in:.1f}s, {n} blobs uploaded and listed back "
              f"in {time.time() - t:.1f}s", listed == n, f"{listed} listed")

        from azure.storage.blob import ContainerSasPermissions, generate_container_sas
        from urllib.parse import parse_qs, quote

        now = datetime.now(timezone.utc)
        sas = generate_container_sas(
            ACCOUNT, CONTAINER, account_key=ACCOUNT_KEY,
            permission=ContainerSasPermissions(read=True, list=True),
            start=now - timedelta(minutes=5), expiry=now + timedelta(hours=2),
        )
        sas_sig = parse_qs(sas)["sig"][0]

        # ---- moto_server as GCS's XML API: bucket 'gcs-billing', anonymous-readable objects ----
        t = time.time()
        moto = Moto(bin_dir)
        import boto3

        s3 = boto3.client("s3", endpoint_url=moto.url, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
        s3.create_bucket(Bucket=GCS_BUCKET)
        n = 0
        for prefix, local in {"gcp": samples / "gcp", "gcp-fixtures": data / "gcp", "focus": samples / "focus-multi"}.items():
            for p in sorted(local.rglob("*")):
                if p.is_file():
                    s3.upload_file(str(p), GCS_BUCKET, f"{prefix}/{p.relative_to(local).as_posix()}",
                                   ExtraArgs={"ACL": "public-read"})
                    n += 1
        check(f"moto_server {moto.url} as GCS: {n} objects uploaded in {time.time() - t:.1f}s", n > 0)
        sa = tmp / "gcs-service-account.json"
        sa_closed = tmp / "gcs-service-account-closed.json"
        for path, url in ((sa, moto.url), (sa_closed, f"http://127.0.0.1:{free_port()}")):
            path.write_text(json.dumps({
                "gcs_base_url": url, "disable_oauth": True,
                "client_email": "", "private_key": "", "private_key_id": "",
            }))

        ctx = {
            "ext": str(ext),
            "tmp": str(tmp),
            "samples": str(samples),
            "data": str(data),
            "azurite_bin": args.azurite,
            "azurite_account_url": azurite.account_url,
            "closed_port": free_port(),
            "sas": sas,
            "sas_sig": sas_sig,
            "sas_sig_quoted": quote(sas_sig, safe=""),
        }
        ctx_file = tmp / "ctx.json"
        ctx_file.write_text(json.dumps(ctx))

        account = {"AZURE_STORAGE_ACCOUNT_NAME": ACCOUNT}
        part_env = {
            "azure-emulator": {"AZURE_STORAGE_USE_EMULATOR": "true", "AZURITE_BLOB_STORAGE_URL": azurite.url},
            "azure-key": {**account, "AZURE_STORAGE_ACCOUNT_KEY": ACCOUNT_KEY},
            "azure-sas": {**account, "AZURE_STORAGE_SAS_TOKEN": sas},
            "azure-wrong-key": {**account, "AZURE_STORAGE_ACCOUNT_KEY": WRONG_KEY},
            "azure-killed": {**account, "AZURE_STORAGE_ACCOUNT_KEY": ACCOUNT_KEY},
            "gcs": {"GOOGLE_SERVICE_ACCOUNT": str(sa)},
            "gcs-token": {"GOOGLE_SERVICE_ACCOUNT": str(sa), "GOOGLE_OAUTH_ACCESS_TOKEN": GCS_TOKEN},
            "gcs-unreachable": {"GOOGLE_SERVICE_ACCOUNT": str(sa_closed)},
            "azure-no-credentials": account,
            "gcs-no-credentials": {},
        }
        isolation = netns_available()
        for part in only:
            if part in ISOLATED and not isolation:
                print(f"--- {part}: skipped, needs a network namespace of its own (unshare -n, ip)", flush=True)
                continue
            t = time.time()
            print(f"--- {part}: {', '.join(f'{k}=…' if 'KEY' in k or 'SAS' in k else f'{k}={v}' for k, v in part_env[part].items())}",
                  flush=True)
            trip = Tripwire()
            try:
                p, f, problem = run_child(part, ctx_file, child_env(base_env, tmp, part, trip, part_env[part]))
            finally:
                trip.close()
            passed += p
            failures.extend(f"{part}: {x}" for x in f)
            if problem:
                check(f"{part}: child process", False, problem)
            check(f"{part}: no request to a metadata endpoint", not trip.requests, str(trip.requests[:3]))
            print(f"--- {part}: {p} passed, {len(f)} failed, {time.time() - t:.1f}s", flush=True)
    except Exception as e:  # server or upload trouble: one failure with its cause
        check("setup", False, f"{type(e).__name__}: {first_line(e, 800)}")
    finally:
        if azurite is not None:
            azurite.kill()
        if moto is not None:
            moto.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\n{passed} passed, {len(failures)} failed, {time.time() - started:.1f}s")
    for f in failures:
        print(f"  FAILED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
