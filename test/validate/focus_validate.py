#!/usr/bin/env python3
"""Run the official FOCUS validator (focus-validator 2.2.1) on one file and judge the result.

    python focus_validate.py DATA.parquet [--version 1.2] [--known known_defects.csv]
                             [--criteria A,B,...|ALL|NONE] [--validator PATH/bin/focus-validator]

The validator runs once, offline (--block-download, bundled model), in a throw-away working
directory, and writes JUnit XML that this script parses. The validator itself exits 0 even
when rules fail, so the verdict comes from the XML:

    exit 0  every failed rule is listed in the known-defects file (validator defects)
    exit 1  at least one failure that is not a known defect
    exit 2  the validator could not run (missing install, bad input, crash, unreadable report)

Only the Python standard library is used, so any Python 3.8+ can run this script; the
validator itself needs its own Python 3.12 venv (`make validator-venv`).
See README.md in this folder.
"""

import argparse
import csv
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

EXIT_OK, EXIT_UNEXPECTED, EXIT_ERROR = 0, 1, 2

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
DEFAULT_KNOWN = HERE / "known_defects.csv"
EXPECTED_VALIDATOR_VERSION = "2.2.1"

# Applicability criteria switched on by default (focus-spec.md section 5.4): capabilities that
# every cloud we convert (AWS, Azure, GCP, OCI) has. Left out on purpose (see README.md):
#   COMMITMENT_DISCOUNT_SUPPORTED, CAPACITY_RESERVATION_SUPPORTED: require the CommitmentDiscount* /
#       CapacityReservation* columns; pass them with --criteria for outputs that have them.
#   USAGE_MEASUREMENT_SUPPORTED: the ConsumedQuantity rules reference CommitmentDiscountStatus and
#       error when that column is absent.
#   PUBLIC_PRICE_LIST_SUPPORTED, PRICING_BILLING_CURRENCY_DIFFERENCES_SUPPORTED,
#       VIRTUAL_CURRENCY_SUPPORTED: criteria are OR-ed, so each switches on the PricingCurrency*
#       presence rules meant for providers pricing in another or a virtual currency.
DEFAULT_CRITERIA = [
    "AVAILABILITY_ZONE_SUPPORTED",
    "MULTIPLE_PRICING_CATEGORIES_SUPPORTED",
    "MULTIPLE_SUB_ACCOUNT_TYPES_SUPPORTED",
    "MULTIPLE_BILLING_ACCOUNT_TYPES_SUPPORTED",
    "NEGOTIATED_PRICING_SUPPORTED",
    "UNIT_PRICING_SUPPORTED",
    "SUB_ACCOUNT_SUPPORTED",
    "BILLING_BASED_ON_PROVISIONED_RESOURCES_SUPPORTED",
    "RESOURCE_TYPE_ASSIGNMENT_SUPPORTED",
    "REGION_SUPPORTED",
    "TAGGING_SUPPORTED",
    "ACCOUNT_NAMING_SUPPORTED",
]


class HarnessError(Exception):
    """The validator could not be run or its output could not be read (exit 2)."""


def log(msg=""):
    print(msg, flush=True)


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Run focus-validator on one FOCUS file and fail only on unexpected rule failures.",
    )
    p.add_argument("data", help="FOCUS data file (.parquet preferred; .csv accepted, types are then inferred)")
    p.add_argument("--version", default="1.2", help="FOCUS version to validate against (default 1.2; only 1.2 is bundled)")
    p.add_argument("--known", default=str(DEFAULT_KNOWN),
                   help="CSV of known validator defects, columns rule_id,reason (default: %(default)s; '' for none)")
    p.add_argument("--criteria", default=",".join(DEFAULT_CRITERIA),
                   help="comma-separated applicability criteria, or ALL, or NONE (default: the list in this script)")
    p.add_argument("--validator", default=None,
                   help="path to the focus-validator executable (default: $FOCUS_VALIDATOR, then the venv of this "
                        "python, then <repo>/.venv-validator, then PATH)")
    p.add_argument("--rule-set-path", default=None,
                   help="directory with model-<version>.json files (for versions not bundled with the validator)")
    p.add_argument("--save-report", default=None, help="also copy the validator's JUnit XML here")
    p.add_argument("--keep-workdir", action="store_true",
                   help="keep the temporary working directory (validator log, report) for debugging")
    p.add_argument("--timeout", type=float, default=1800, help="seconds before the validator is killed (default 1800)")
    return p.parse_args(argv)


# ---------------------------------------------------------------------------------------------
# Locating the validator and its package files

def find_validator(explicit):
    candidates = []
    if explicit:
        candidates.append(("--validator", Path(explicit)))
    elif os.environ.get("FOCUS_VALIDATOR"):
        candidates.append(("$FOCUS_VALIDATOR", Path(os.environ["FOCUS_VALIDATOR"])))
    else:
        candidates.append(("venv of this python", Path(sys.executable).parent / "focus-validator"))
        candidates.append(("repo venv", REPO_ROOT / ".venv-validator" / "bin" / "focus-validator"))
        on_path = shutil.which("focus-validator")
        if on_path:
            candidates.append(("PATH", Path(on_path)))
    for _, path in candidates:
        if path.is_file() and os.access(str(path), os.X_OK):
            return path
    tried = ", ".join(f"{src}: {path}" for src, path in candidates)
    raise HarnessError(f"focus-validator not found (tried {tried}). Run `make validator-venv` or pass --validator.")


def validator_python(validator):
    """The interpreter the validator runs on: the console script's shebang, else its sibling python."""
    try:
        with open(validator, "rb") as fh:
            first = fh.readline().decode("utf-8", "replace").strip()
        if first.startswith("#!"):
            interp = first[2:].strip().split()[0]
            if Path(interp).is_file():
                return Path(interp)
    except OSError:
        pass
    sibling = validator.parent / "python"
    if sibling.is_file():
        return sibling
    raise HarnessError(f"cannot tell which python runs {validator}")


def package_info(py):
    """Return (validator version, focus_validator package directory) without importing the package."""
    code = (
        "import importlib.metadata as m, importlib.util as u\n"
        "s = u.find_spec('focus_validator')\n"
        "print(m.version('focus-validator'))\n"
        "print(list(s.submodule_search_locations)[0])\n"
    )
    try:
        out = subprocess.run([str(py), "-c", code], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HarnessError(f"cannot query the validator's python {py}: {exc}")
    if out.returncode != 0:
        raise HarnessError(f"focus_validator is not installed for {py}:\n{out.stderr.strip()}")
    lines = out.stdout.strip().splitlines()
    return lines[0].strip(), Path(lines[1].strip())


def load_model(pkg_dir, rule_set_path, version):
    """The rule model for `version` (for rule texts and criteria names), or None if not found."""
    dirs = [Path(rule_set_path)] if rule_set_path else []
    dirs.append(pkg_dir / "rules")
    best = None
    for d in dirs:
        for f in sorted(glob.glob(str(d / "model-*.json"))):
            try:
                with open(f, encoding="utf-8") as fh:
                    model = json.load(fh)
            except (OSError, ValueError):
                continue
            details = model.get("Details", {})
            focus_ver = str(details.get("FOCUSVersion", ""))
            if focus_ver == version or focus_ver.startswith(version + "."):
                # the newest model version for this FOCUS version wins
                key = tuple(int(x) if x.isdigit() else 0 for x in str(details.get("ModelVersion", "0")).split("."))
                if best is None or key > best[0]:
                    best = (key, model)
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------
# Known defects

def load_known(path):
    """rule_id -> reason. Lines whose first field starts with '#' are comments."""
    known = {}
    if not path:
        return known
    p = Path(path)
    if not p.is_file():
        raise HarnessError(f"known-defects file not found: {p}")
    with open(p, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh) if r and r[0].strip() and not r[0].lstrip().startswith("#")]
    if not rows or [c.strip() for c in rows[0][:2]] != ["rule_id", "reason"]:
        raise HarnessError(f"{p}: first row must be the header 'rule_id,reason'")
    for lineno, row in enumerate(rows[1:], start=2):
        rule_id = row[0].strip()
        reason = ",".join(row[1:]).strip()
        if not reason:
            raise HarnessError(f"{p}: rule {rule_id} has no reason")
        if rule_id in known:
            log(f"warning: {p}: {rule_id} listed twice")
        known[rule_id] = reason
    return known


# ---------------------------------------------------------------------------------------------
# Running the validator

def run_validator(validator, pkg_dir, data, version, criteria, rule_set_path, timeout, workdir):
    # Path bug in 2.2.1 (focus_validator PR #112): the currency-code lookup opens the relative
    # path focus_validator/rules/currency_codes.csv from the working directory. Give it one.
    currency = pkg_dir / "rules" / "currency_codes.csv"
    if not currency.is_file():
        raise HarnessError(f"{currency} missing from the validator package")
    (workdir / "focus_validator" / "rules").mkdir(parents=True)
    shutil.copy(str(currency), str(workdir / "focus_validator" / "rules" / "currency_codes.csv"))

    report = workdir / "report.xml"
    cmd = [str(validator), "--data-file", str(data), "--validate-version", version, "--block-download",
           "--output-type", "unittest", "--output-destination", str(report)]
    if criteria:
        cmd += ["--applicability-criteria", criteria]
    if rule_set_path:
        cmd += ["--rule-set-path", str(Path(rule_set_path).resolve())]

    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=str(workdir), stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise HarnessError(f"focus-validator did not finish within {timeout:.0f} s")
    except OSError as exc:
        raise HarnessError(f"cannot start {validator}: {exc}")
    elapsed = time.monotonic() - started

    if proc.returncode != 0 or not report.is_file():
        tail = "\n".join((proc.stderr or proc.stdout or "").strip().splitlines()[-25:])
        raise HarnessError(f"focus-validator exited {proc.returncode}"
                           f"{'' if report.is_file() else ' without writing a report'}:\n{tail}\n"
                           f"command: {' '.join(cmd)}")
    return report, elapsed


def parse_report(report):
    """Return (header counts, list of (rule_id, status, message)); status is pass|fail|error|skipped."""
    try:
        root = ET.parse(str(report)).getroot()
    except ET.ParseError as exc:
        raise HarnessError(f"cannot parse validator report {report}: {exc}")
    if root.tag != "testsuites":
        raise HarnessError(f"unexpected report root element <{root.tag}>")
    try:
        header = {k: int(root.get(k, "0")) for k in ("tests", "failures", "errors", "skipped")}
    except ValueError:
        raise HarnessError("report header counts are not integers")
    cases = []
    for tc in root.iter("testcase"):
        rule_id = tc.get("name", "").split(" :: ")[0].strip()
        status, message = "pass", ""
        for child, st in (("failure", "fail"), ("error", "error"), ("skipped", "skipped")):
            el = tc.find(child)
            if el is not None:
                status, message = st, el.get("message", "") or ""
                break
        cases.append((rule_id, status, message))
    return header, cases


# ---------------------------------------------------------------------------------------------

def rule_text(model, rule_id):
    if not model:
        return ""
    rule = model.get("ModelRules", {}).get(rule_id) or {}
    return (rule.get("ValidationCriteria") or {}).get("MustSatisfy", "")


def child_rules(model, rule_id):
    """Rule ids a composite rule combines (CheckModelRule items of its AND/OR requirement)."""
    if not model:
        return []
    rule = model.get("ModelRules", {}).get(rule_id) or {}
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("CheckFunction") == "CheckModelRule" and node.get("ModelRuleId"):
                found.append(node["ModelRuleId"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk((rule.get("ValidationCriteria") or {}).get("Requirement") or {})
    return found


def classify_failures(model, failed_ids, known):
    """rule_id -> set of known-defect rule ids that explain its failure (empty set: unexpected).

    A listed rule explains itself. A composite rule (e.g. "The X column adheres to the following
    requirements", an AND/OR of other rules) that failed is explained when it has failed child
    rules and every one of them is explained, so a known defect does not also have to be listed
    for each parent it drags down; a composite with any unexplained failed child stays UNEXPECTED.
    """
    memo = {}

    def explain(rule_id, stack=()):
        if rule_id in memo:
            return memo[rule_id]
        if rule_id in known:
            memo[rule_id] = {rule_id}
            return memo[rule_id]
        result = set()
        failed_children = [c for c in child_rules(model, rule_id) if c in failed_ids and c not in stack]
        if failed_children:
            parts = [explain(c, stack + (rule_id,)) for c in failed_children]
            if all(parts):
                result = set().union(*parts)
        memo[rule_id] = result
        return result

    return {rule_id: explain(rule_id) for rule_id in failed_ids}


def main(argv=None):
    args = parse_args(argv)
    try:
        return run(args)
    except HarnessError as exc:
        log(f"ERROR: {exc}")
        log(f"focus-validator FOCUS {args.version}: could not run ({Path(args.data).name})")
        return EXIT_ERROR


def run(args):
    data = Path(args.data).resolve()
    if not data.is_file():
        raise HarnessError(f"data file not found: {args.data}")
    ext = data.suffix.lower()
    if ext not in (".parquet", ".csv"):
        raise HarnessError(f"{data.name}: the validator reads only .parquet or .csv (chosen by extension)")

    known = load_known(args.known)
    validator = find_validator(args.validator)
    py = validator_python(validator)
    fv_version, pkg_dir = package_info(py)
    if fv_version != EXPECTED_VALIDATOR_VERSION:
        log(f"warning: focus-validator {fv_version} found, the known-defect list is for {EXPECTED_VALIDATOR_VERSION}")
    model = load_model(pkg_dir, args.rule_set_path, args.version)

    crit = args.criteria.strip()
    if crit.upper() in ("", "NONE"):
        crit = ""
    elif crit.upper() == "ALL":
        crit = "ALL"
    else:
        names = [c.strip() for c in crit.split(",") if c.strip()]
        if model:
            # the validator only logs a warning for unknown names; a typo would silently skip rules
            unknown = [c for c in names if c not in model.get("ApplicabilityCriteria", {})]
            if unknown:
                raise HarnessError(f"unknown applicability criteria for FOCUS {args.version}: {', '.join(unknown)}; "
                                   f"valid: {', '.join(model.get('ApplicabilityCriteria', {}))}")
        crit = ",".join(names)

    model_ver = (model or {}).get("Details", {}).get("ModelVersion", "?")
    log(f"focus-validator {fv_version} (model {model_ver}) on {data} [{ext[1:]}]")
    log(f"applicability criteria: {crit or '(none)'}")
    if ext == ".csv":
        log("note: CSV input, the validator infers column types (integers, dropped date columns); "
            "type failures may be artefacts. Validate Parquet with explicit types.")

    workdir = Path(tempfile.mkdtemp(prefix="focus-validate-"))
    try:
        report, elapsed = run_validator(validator, pkg_dir, data, args.version, crit, args.rule_set_path,
                                        args.timeout, workdir)
        if args.save_report:
            shutil.copy(str(report), args.save_report)
        header, cases = parse_report(report)
    finally:
        if args.keep_workdir:
            log(f"working directory kept: {workdir}")
        else:
            shutil.rmtree(str(workdir), ignore_errors=True)

    total = len(cases)
    if total == 0:
        raise HarnessError("the validator report contains no rules")
    n_fail = sum(1 for _, st, _ in cases if st in ("fail", "error"))
    n_skip = sum(1 for _, st, _ in cases if st == "skipped")
    n_pass = total - n_fail - n_skip
    if (header["tests"], header["failures"] + header["errors"], header["skipped"]) != (total, n_fail, n_skip):
        log(f"warning: report header {header} does not match its {total} test cases")

    log(f"Total: {total} | Pass: {n_pass} | Fail: {n_fail} | Skipped: {n_skip}   (validator {elapsed:.1f} s)")

    failed = sorted((c for c in cases if c[1] in ("fail", "error")), key=lambda c: c[0])
    explained = classify_failures(model, {c[0] for c in failed}, known)
    unexpected = []
    if failed:
        log("Failures:")
    for rule_id, status, message in failed:
        text = rule_text(model, rule_id)
        detail = message if status == "error" else ""
        desc = "; ".join(x for x in (text or message, detail) if x)
        if rule_id in known:
            verdict = f"known defect ({known[rule_id]})"
        elif explained[rule_id]:
            verdict = ("known defect (composite rule that fails only through known defect "
                       f"{', '.join(sorted(explained[rule_id]))})")
        else:
            verdict = "UNEXPECTED"
            unexpected.append(rule_id)
        kind = "ERROR" if status == "error" else "FAIL"
        log(f"  {kind} {rule_id}: {desc}")
        log(f"       -> {verdict}")

    failed_ids = {c[0] for c in failed}
    quiet_known = sorted(k for k in known if k not in failed_ids)
    if quiet_known:
        log(f"({len(quiet_known)} other known defects did not fail on this file)")

    n_known = n_fail - len(unexpected)
    fail_part = f"{n_fail} fail ({n_known} known" + (f", {len(unexpected)} unexpected)" if unexpected else ")")
    log(f"focus-validator {fv_version} FOCUS {args.version}: {total} rules, {n_pass} pass, {fail_part}, "
        f"{n_skip} skipped [{data.name}]")
    if unexpected:
        log(f"UNEXPECTED failures: {', '.join(unexpected)}")
        return EXIT_UNEXPECTED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
