#!/usr/bin/env python3
"""S3 integration tests: every reader on a real S3-compatible server (moto_server) on loopback.

Starts moto_server on 127.0.0.1 itself, uploads the samples and fixtures in their real delivery
layouts (CUR 1.0 report root with a restated month, Data Exports with manifests, Athena Parquet
folders, single files of every container), and checks that each reader returns exactly the rows
it returns from local disk. Then fault tests: missing bucket, missing object, a manifest naming
a missing key, denied access (moto enforcing IAM), the wrong region (S3's 301 answer, given by
the fault proxy since moto does not redirect), an unreachable endpoint, a server killed
mid-read, throttling, and a query interrupt: each must be a clear SQL error within a bounded time, with the
connection usable afterwards.

Never touches the network beyond 127.0.0.1: AWS_EC2_METADATA_DISABLED, explicit test
credentials in a temporary shared-credentials file, explicit endpoints.

Usage: test_s3.py --ext build/release/focus.duckdb_extension --samples ../shared/samples
"""

import argparse
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "billing"
# Every fault must surface within this many seconds (retries and timeouts included).
BOUND_S = 45

failures: list[str] = []
passed = 0


def check(name: str, ok: bool, detail: str = "") -> None:
    global passed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failures.append(name)
        print(f"FAIL {name} {detail}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    """A moto_server process on a free loopback port."""

    def __init__(self, bin_dir: Path, env_extra: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update(env_extra or {})
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [str(bin_dir / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("moto_server did not start")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


def boto(url: str, key: str = "testing", secret: str = "testing", service: str = "s3"):
    import boto3

    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
    )


def upload_tree(s3, local: Path, prefix: str) -> int:
    n = 0
    for p in sorted(local.rglob("*")):
        if p.is_file():
            s3.upload_file(str(p), BUCKET, f"{prefix}/{p.relative_to(local).as_posix()}")
            n += 1
    return n


def rows(con, sql: str) -> list[tuple]:
    return sorted(con.execute(sql).fetchall(), key=repr)


def same_rows(con, local: str, remote: str) -> tuple[int, int]:
    """Rows of `remote`, and how many rows the two sides do not share (multiset difference
    both ways, exact, computed by DuckDB so big samples need not cross into Python)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE l AS SELECT * FROM {local}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE r AS SELECT * FROM {remote}")
    n = con.execute("SELECT count(*) FROM r").fetchone()[0]
    diff = con.execute(
        "SELECT count(*) FROM ((FROM l EXCEPT ALL FROM r) UNION ALL (FROM r EXCEPT ALL FROM l))"
    ).fetchone()[0]
    n_local = con.execute("SELECT count(*) FROM l").fetchone()[0]
    return n, diff + abs(n - n_local)


def timed_error(con, sql: str) -> tuple[str | None, float]:
    t = time.time()
    try:
        con.execute(sql).fetchall()
        return None, time.time() - t
    except Exception as e:  # duckdb raises its own exception types
        return str(e), time.time() - t


def still_usable(con) -> bool:
    return con.execute("SELECT 42").fetchone() == (42,)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    ext = Path(args.ext).resolve()
    samples = Path(args.samples).resolve()
    data = ROOT / "test" / "data"
    bin_dir = Path(sys.executable).parent

    # Loopback only: no metadata service, test credentials in a private file, no real config.
    tmp = Path(tempfile.mkdtemp(prefix="focus-s3-"))
    for k in list(os.environ):
        if k.startswith("AWS_"):
            del os.environ[k]
    os.environ.update(
        {
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": str(tmp / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "credentials"),
            "AWS_REGION": "us-east-1",
        }
    )
    # Credentials come from the shared credentials file (the chain's profile provider), so that
    # `profile :=` can pick others: environment keys would take precedence over any profile.
    (tmp / "config").write_text("[profile empty]\nregion = us-east-1\n")
    default_creds = "[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
    (tmp / "credentials").write_text(default_creds)

    started = time.time()
    main_srv = Moto(bin_dir)
    s3 = boto(main_srv.url)
    s3.create_bucket(Bucket=BUCKET)
    uploaded = 0
    layouts = {
        # CUR 1.0 report root, one month restated (two assemblies; the top manifest names B).
        "cur1": data / "aws" / "cur1_restated",
        # The koku CUR 1.0 delivery (report root, manifests with reportKeys).
        "koku": samples / "aws" / "cur1-s3-layout-SYNTHETIC",
        # Data Exports (CUR 2.0): metadata/BILLING_PERIOD=/manifest + data/BILLING_PERIOD=/.
        "exports": data / "aws" / "cur2_export",
        # CUR 1.0 Athena Parquet: year=/month= folders and the status table.
        "athena": samples / "aws" / "cur1-parquet-athena",
        "gcp": samples / "gcp",
        "oci": samples / "oci",
        "focus": samples / "focus-multi",
        "errors": data / "aws" / "errors",
        # Azure cost details (EA, MCA, header variants, FocusCost) and a Cost Management export
        # folder with two runs (manifest.json per run: only the newest is read).
        "azure": samples / "azure",
        "azure-exports": data / "azure" / "exports",
        "azure-parquet": data / "azure" / "parquet",
    }
    for prefix, local in layouts.items():
        uploaded += upload_tree(s3, local, prefix)
    singles = [
        "cur1_slice.csv",
        "cur1_slice.csv.gz",
        "cur1_slice.zip",
        "cur1_slice_multimember.csv.gz",
        "cur1_slice_bom_crlf.csv",
        "cur2.parquet",
        "cur2_types.parquet",
        "cur2_snake.csv",
    ]
    for f in singles:
        s3.upload_file(str(data / "aws" / f), BUCKET, f"files/{f}")
        uploaded += 1
    print(f"moto_server at {main_srv.url}: {uploaded} objects uploaded in {time.time() - started:.1f}s")

    import duckdb

    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"LOAD '{ext}'")
    ep = f"endpoint := '{main_srv.url}'"

    # ---- parity: S3 results are the local results, row for row ------------------------------
    cases = [
        ("read_aws_cur", "cur1", layouts["cur1"], ""),
        ("read_aws_cur", "cur1", layouts["cur1"], ", all_versions := true"),
        ("read_aws_cur", "cur1/myreport/20240101-20240201", layouts["cur1"] / "myreport" / "20240101-20240201", ""),
        ("read_aws_cur", "koku", layouts["koku"], ""),
        ("read_aws_cur", "exports", layouts["exports"], ""),
        ("read_aws_cur", "exports", layouts["exports"], ", all_versions := true"),
        ("read_aws_cur", "exports", layouts["exports"], ", billing_period := '2024-04'"),
        ("read_aws_cur", "athena", layouts["athena"], ""),
        ("read_aws_cur", "athena/year=2018/month=10/*.parquet", layouts["athena"] / "year=2018/month=10/*.parquet", ""),
        ("read_aws_cur", "athena/year=*/**/*.parquet", layouts["athena"] / "year=*/**/*.parquet", ""),
        ("read_gcp_billing", "gcp/bigquery-detailed-flattened-csv", layouts["gcp"] / "bigquery-detailed-flattened-csv", ""),
        (
            "read_gcp_billing",
            "gcp/bigquery-standard-flattened-csv/tmp_example.csv",
            layouts["gcp"] / "bigquery-standard-flattened-csv" / "tmp_example.csv",
            "",
        ),
        ("read_oci_cost", "oci/cost-reports", layouts["oci"] / "cost-reports", ""),
        ("read_oci_cost", "oci/usage-reports/", layouts["oci"] / "usage-reports", ""),
        ("read_focus", "focus/FOCUS-1.0_focus_sample.csv", layouts["focus"] / "FOCUS-1.0_focus_sample.csv", ""),
        ("to_focus", "cur1", layouts["cur1"], ""),
        ("to_focus", "exports", layouts["exports"], ""),
        ("to_focus", "athena", layouts["athena"], ""),
        ("to_focus", "gcp/bigquery-detailed-flattened-csv", layouts["gcp"] / "bigquery-detailed-flattened-csv", ""),
        ("to_focus", "oci/cost-reports", layouts["oci"] / "cost-reports", ""),
        ("to_focus", "focus/FOCUS-1.0_focus_sample.csv", layouts["focus"] / "FOCUS-1.0_focus_sample.csv", ""),
        ("read_azure_cost", "azure/ea-cost-details", layouts["azure"] / "ea-cost-details", ""),
        ("read_azure_cost", "azure/header-variants/*.csv", layouts["azure"] / "header-variants" / "*.csv", ""),
        ("read_azure_cost", "azure-exports/daily-actual", layouts["azure-exports"] / "daily-actual", ""),
        ("read_azure_cost", "azure-exports/daily-actual", layouts["azure-exports"] / "daily-actual", ", all_versions := true"),
        (
            "read_azure_cost",
            "azure-parquet/EA_ActualCost_Small_typed.parquet",
            layouts["azure-parquet"] / "EA_ActualCost_Small_typed.parquet",
            "",
        ),
        ("to_focus", "azure/ea-cost-details", layouts["azure"] / "ea-cost-details", ""),
        ("to_focus", "azure/mca-cost-details/camel_v2.csv", layouts["azure"] / "mca-cost-details" / "camel_v2.csv", ""),
        ("to_focus", "azure-exports/daily-actual", layouts["azure-exports"] / "daily-actual", ""),
        ("to_focus", "azure/focus", layouts["azure"] / "focus", ""),
    ]
    for f in singles:
        cases.append(("read_aws_cur", f"files/{f}", data / "aws" / f, ""))
    cases.append(("read_aws_cur", "files/cur1_slice*.csv*", data / "aws" / "cur1_slice*.csv*", ""))
    gcp_parquet = sorted((samples / "gcp").rglob("*.parquet"))
    for p in gcp_parquet[:2]:
        rel = p.relative_to(samples / "gcp").as_posix()
        cases.append(("read_gcp_billing", f"gcp/{rel}", p, ""))
    for func, key, local, extra in cases:
        name = f"parity {func}('s3://{BUCKET}/{key}'{extra})"
        try:
            t0 = time.time()
            n, diff = same_rows(
                con, f"{func}('{local}'{extra})", f"{func}('s3://{BUCKET}/{key}', {ep}{extra})"
            )
            name += f" [{n} rows, {time.time() - t0:.1f}s]"
            check(name, diff == 0 and n > 0, f"{diff} rows differ")
        except Exception as e:
            check(name, False, str(e)[:400])

    # filename names the object; the restated month reads only the current assembly
    got = rows(
        con,
        f"SELECT filename, count(*) FROM read_aws_cur('s3://{BUCKET}/cur1/', {ep}, filename := true) GROUP BY ALL",
    )
    check(
        "filename is the s3:// URI of the current assembly's files",
        [r[0] for r in got]
        == sorted(
            [
                f"s3://{BUCKET}/cur1/myreport/20240101-20240201/bbbbbbbb-0000-4000-8000-000000000002/myreport-1.csv.gz",
                f"s3://{BUCKET}/cur1/myreport/20240101-20240201/bbbbbbbb-0000-4000-8000-000000000002/myreport-2.csv.gz",
                f"s3://{BUCKET}/cur1/myreport/20240201-20240301/cccccccc-0000-4000-8000-000000000003/myreport-1.csv.gz",
            ],
            key=repr,
        ),
        str(got),
    )

    # The AWS chain's endpoint setting (AWS_ENDPOINT_URL) works without the parameter; a new
    # connection in the same process so the client is built with it.
    os.environ["AWS_ENDPOINT_URL"] = main_srv.url
    try:
        want = rows(con, f"SELECT * FROM read_aws_cur('{layouts['exports']}')")
        got = rows(con, f"SELECT * FROM read_aws_cur('s3://{BUCKET}/exports')")
        check("AWS_ENDPOINT_URL from the environment", want == got)
    except Exception as e:
        check("AWS_ENDPOINT_URL from the environment", False, str(e)[:400])
    finally:
        del os.environ["AWS_ENDPOINT_URL"]

    # ---- faults -------------------------------------------------------------------------------
    def fault(name: str, sql: str, expect: list[str], forbid: tuple[str, ...] = ("testing",)) -> None:
        err, secs = timed_error(con, sql)
        ok = (
            err is not None
            and all(e in err for e in expect)
            and not any(f in err for f in forbid)
            and secs < BOUND_S
            and still_usable(con)
        )
        check(f"fault: {name} ({secs:.1f}s)", ok, f"error: {err!r}")
        if ok:  # the message is the product here: show it
            print("       " + (err or "").splitlines()[0][:300])

    fault(
        "missing bucket",
        f"SELECT * FROM read_aws_cur('s3://no-such-bucket/cur/', {ep})",
        ["no-such-bucket", "does not exist"],
    )
    fault(
        "missing object",
        f"SELECT * FROM read_aws_cur('s3://{BUCKET}/files/nope.csv', {ep})",
        [f"s3://{BUCKET}/files/nope.csv", "no such object"],
    )
    fault(
        "manifest names a missing key (CUR 1.0)",
        f"SELECT * FROM read_aws_cur('s3://{BUCKET}/errors/missing_key', {ep})",
        ["the manifest names", "rep-Manifest.json", f"s3://{BUCKET}/errors/missing_key/"],
    )
    fault(
        "manifest names a missing key (Data Exports)",
        f"SELECT * FROM read_aws_cur('s3://{BUCKET}/errors/missing_data_file', {ep})",
        ["the manifest names", "myexport-00002.snappy.parquet"],
    )
    fault(
        "unreachable endpoint",
        f"SELECT * FROM read_aws_cur('s3://{BUCKET}/cur1/', endpoint := 'http://127.0.0.1:{free_port()}')",
        ["cannot connect to the S3 endpoint", "127.0.0.1"],
    )
    fault(
        "unknown profile",
        f"SELECT * FROM read_aws_cur('s3://{BUCKET}/cur1/', {ep}, profile := 'nosuchprofile')",
        ["nosuchprofile"],
    )
    fault(
        "no credentials at all (profile without keys)",
        f"SELECT * FROM read_aws_cur('s3://{BUCKET}/cur1/', {ep}, profile := 'empty')",
        ["no usable AWS credentials", "profile 'empty'"],
    )
    fault(
        "https:// is refused by name",
        "SELECT * FROM read_focus('https://example.com/x.parquet')",
        ["https:// URIs are not supported"],
    )

    # Denied access: a second server enforcing IAM after its first 3 unauthenticated calls,
    # which create an admin; the admin then sets up the bucket and a user with no permissions.
    iam_srv = Moto(bin_dir, {"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        iam = boto(iam_srv.url, service="iam")
        iam.create_user(UserName="admin")
        iam.put_user_policy(
            UserName="admin",
            PolicyName="all",
            PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
        )
        ak = iam.create_access_key(UserName="admin")["AccessKey"]
        admin_s3 = boto(iam_srv.url, ak["AccessKeyId"], ak["SecretAccessKey"])
        admin_s3.create_bucket(Bucket=BUCKET)
        admin_s3.upload_file(str(data / "aws" / "cur1_slice.csv"), BUCKET, "files/cur1_slice.csv")
        admin_iam = boto(iam_srv.url, ak["AccessKeyId"], ak["SecretAccessKey"], service="iam")
        admin_iam.create_user(UserName="nobody")
        nk = admin_iam.create_access_key(UserName="nobody")["AccessKey"]
        (tmp / "credentials").write_text(
            default_creds + f"[admin]\naws_access_key_id = {ak['AccessKeyId']}\naws_secret_access_key = {ak['SecretAccessKey']}\n"
            f"[nobody]\naws_access_key_id = {nk['AccessKeyId']}\naws_secret_access_key = {nk['SecretAccessKey']}\n"
        )
        iep = f"endpoint := '{iam_srv.url}'"
        # Two links of the credential chain users in AWS organisations rely on: credential_process
        # (what helpers such as aws-vault plug in), checked on the enforcing server (only real
        # keys read), and web identity (EKS/IRSA, CI OIDC): a token file exchanged with STS
        # (moto's) for a role's credentials. moto's enforcing mode refuses the unsigned STS call,
        # so that one reads from the main server: the profile has no keys of its own, so the
        # read works only if the exchange did.
        admin_iam.create_role(
            RoleName="billing-reader",
            AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"oidc"},"Action":"sts:AssumeRoleWithWebIdentity"}]}',
        )
        admin_iam.put_role_policy(
            RoleName="billing-reader",
            PolicyName="read",
            PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
        )
        (tmp / "web-identity-token").write_text("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmb2N1cy10ZXN0In0.c2lnbmF0dXJl")
        proc_json = json.dumps({"Version": 1, "AccessKeyId": ak["AccessKeyId"], "SecretAccessKey": ak["SecretAccessKey"]})
        (tmp / "creds.py").write_text(f"print({proc_json!r})\n")
        (tmp / "config").write_text(
            "[profile empty]\nregion = us-east-1\n"
            f"[profile proc]\nregion = us-east-1\ncredential_process = {sys.executable} {tmp / 'creds.py'}\n"
            f"[profile wi]\nregion = us-east-1\nendpoint_url = {main_srv.url}\n"
            "role_arn = arn:aws:iam::123456789012:role/billing-reader\n"
            f"web_identity_token_file = {tmp / 'web-identity-token'}\n"
        )
        for prof in ("proc", "wi"):
            name = {
                "proc": "IAM-enforcing server: credential_process profile reads",
                "wi": "web identity profile (STS AssumeRoleWithWebIdentity) reads",
            }[prof]
            try:
                pep = iep if prof == "proc" else ep
                n = con.execute(
                    f"SELECT count(*) FROM read_aws_cur('s3://{BUCKET}/files/cur1_slice.csv', {pep}, profile := '{prof}')"
                ).fetchone()[0]
                check(name, n == 26, str(n))
            except Exception as e:
                check(name, False, str(e)[:400])
        try:
            n = con.execute(
                f"SELECT count(*) FROM read_aws_cur('s3://{BUCKET}/files/cur1_slice.csv', {iep}, profile := 'admin')"
            ).fetchone()[0]
            check("IAM-enforcing server: allowed profile reads", n == 26, str(n))
        except Exception as e:
            check("IAM-enforcing server: allowed profile reads", False, str(e)[:400])
        # EXPLAIN ANALYZE (plan and profile) of a read never shows the credentials it used
        plan = "\n".join(
            str(r)
            for r in con.execute(
                f"EXPLAIN ANALYZE SELECT count(*) FROM read_aws_cur('s3://{BUCKET}/files/cur1_slice.csv', {iep}, profile := 'admin')"
            ).fetchall()
        )
        check(
            "EXPLAIN ANALYZE shows no credentials",
            len(plan) > 0 and ak["SecretAccessKey"] not in plan and ak["AccessKeyId"] not in plan,
            plan[:300],
        )
        fault(
            "denied access (403)",
            f"SELECT * FROM read_aws_cur('s3://{BUCKET}/files/cur1_slice.csv', {iep}, profile := 'nobody')",
            ["access denied (403)", f"'{BUCKET}'", "profile 'nobody'"],
            forbid=(nk["SecretAccessKey"], nk["AccessKeyId"], "testing"),
        )
    finally:
        iam_srv.kill()

    # A server killed mid-read, and a query interrupted mid-read. The object (a ~20 MB CSV)
    # comes through a rate-limited proxy (its own process, test/s3/slow_proxy.py) in front of
    # the main server, so the read takes seconds whatever the machine; killing the proxy is
    # the server dying mid-transfer, from the client's point of view.
    big = tmp / "big.csv"
    lines = (data / "aws" / "cur1_slice.csv").read_text().splitlines(keepends=True)
    with open(big, "w") as g:
        g.write(lines[0])
        for _ in range(900):
            g.writelines(lines[1:])
    s3.upload_file(str(big), BUCKET, "big/big.csv")

    def proxy(rate: int = 4_000_000, fail_first: int = 0, answer: str = "throttle") -> tuple[subprocess.Popen, str]:
        port = free_port()
        p = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).parent / "slow_proxy.py"),
                str(port),
                str(main_srv.port),
                str(rate),
                str(fail_first),
                answer,
            ]
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.05)
        return p, f"endpoint := 'http://127.0.0.1:{port}'"

    sql_of = lambda pep: f"SELECT count(*) FROM read_aws_cur('s3://{BUCKET}/big/big.csv', {pep})"
    try:
        n = con.execute(sql_of(ep)).fetchone()[0]
        check("large object read in full (direct)", n == 900 * (len(lines) - 1), str(n))
    except Exception as e:
        check("large object read in full (direct)", False, str(e)[:400])

    # interrupt: the query stops mid-transfer and the connection stays usable
    p, pep = proxy()
    try:
        timer = threading.Timer(1.5, con.interrupt)
        timer.start()
        err, secs = timed_error(con, sql_of(pep))
        timer.cancel()
        check(
            f"interrupt stops an S3 read mid-transfer ({secs:.1f}s)",
            err is not None and "nterrupt" in err and secs < 10 and still_usable(con),
            repr(err),
        )
    finally:
        p.kill()
        p.wait()

    # kill the server while the query streams the object
    p, pep = proxy()
    try:
        threading.Timer(1.5, p.kill).start()
        err, secs = timed_error(con, sql_of(pep))
        check(
            f"fault: server killed mid-read ({secs:.1f}s)",
            err is not None and "big.csv" in err and secs < BOUND_S and still_usable(con),
            repr(err),
        )
        print("       " + (err or "").splitlines()[0][:300])
    finally:
        p.kill()
        p.wait()

    # throttling (503 SlowDown): two throttled attempts are retried and the query succeeds...
    p, pep = proxy(rate=0, fail_first=2)
    try:
        t = time.time()
        n = con.execute(f"SELECT count(*) FROM read_aws_cur('s3://{BUCKET}/files/cur1_slice.csv', {pep})").fetchone()[0]
        check(f"throttled twice (503 SlowDown), retried, read ({time.time() - t:.1f}s)", n == 26, str(n))
    except Exception as e:
        check("throttled twice (503 SlowDown), retried, read", False, str(e)[:400])
    finally:
        p.kill()
        p.wait()
    # ...and a server that keeps throttling is an error after a bounded number of attempts
    p, pep = proxy(rate=0, fail_first=1000)
    try:
        fault(
            "throttled on every attempt",
            f"SELECT count(*) FROM read_aws_cur('s3://{BUCKET}/files/cur1_slice.csv', {pep})",
            ["HTTP 503", "after 4 attempts"],
        )
    finally:
        p.kill()
        p.wait()

    # The wrong region: S3's 301 PermanentRedirect naming the bucket's region (the answer a
    # regional endpoint gives; moto itself does not redirect, so the proxy gives S3's answer).
    p, pep = proxy(rate=0, fail_first=1000, answer="redirect")
    try:
        fault(
            "wrong region (301 PermanentRedirect)",
            f"SELECT count(*) FROM read_aws_cur('s3://{BUCKET}/files/cur1_slice.csv', {pep}, region := 'us-east-1')",
            ["region eu-west-1", "region := 'eu-west-1'"],
        )
    finally:
        p.kill()
        p.wait()

    # the main server and connection still serve queries after all that
    try:
        n = con.execute(f"SELECT count(*) FROM read_aws_cur('s3://{BUCKET}/cur1', {ep})").fetchone()[0]
        n_local = con.execute(f"SELECT count(*) FROM read_aws_cur('{layouts['cur1']}')").fetchone()[0]
        check("connection usable after the faults", n == n_local, f"{n} vs {n_local}")
    except Exception as e:
        check("connection usable after the faults", False, str(e)[:400])

    con.close()
    main_srv.kill()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{passed} passed, {len(failures)} failed, {time.time() - started:.1f}s")
    for f in failures:
        print(f"  FAILED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
