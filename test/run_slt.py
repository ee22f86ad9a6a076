#!/usr/bin/env python3
"""A small SQLLogicTest runner for DuckDB's .test dialect, with two interchangeable backends.

  python test/run_slt.py --backend python|cli [--cli PATH] [--ext NAME=PATH]... [--timeout S]
                         [--only-backend-tag] FILE_OR_DIR...

--backend python  runs statements in-process with the `duckdb` Python package.
--backend cli     drives one long-lived `duckdb` shell process per test file over pipes.

Both backends let DuckDB itself render values (the text of CAST(x AS VARCHAR)), so expected
results are identical in both. --ext NAME=PATH makes `require NAME` load that file (and a
failed load is then a failure, not a skip). --only-backend-tag runs only the files whose
`tags` directive names the backend (`tags cli`, `tags python`); other files count as skipped.
"""
import argparse
import collections
import csv
import difflib
import io
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

try:
    import duckdb
except ImportError:  # only the python backend truly needs it; the CLI backend degrades gracefully
    duckdb = None

SORT_STYLES = {'nosort': 'nosort', 'rowsort': 'rowsort', 'sort': 'rowsort', 'valuesort': 'valuesort'}
# Statements whose changed-row count is reported as a one-column result (DuckDB's `Count`).
# Other statements that only report counts or nothing (CREATE, SET, ATTACH...) give no result set:
# the CLI prints nothing for them, so the python backend must not invent one either.
COUNT_TYPES = {'INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE_INTO'}


class SqlError(Exception):
    """The SQL failed; str(self) is DuckDB's error message."""


class BackendDied(Exception):
    """The backend is unusable (crash, timeout, failed open): the rest of the file is abandoned."""


def split_statements(sql, con=None):
    """[(text, statement type, expected result types)] per statement, via DuckDB's own parser;
    [(sql, None, set())] if it can't split the text (no duckdb module, unknown syntax)."""
    try:
        return [(s.query, s.type.name, {t.name for t in s.expected_result_type})
                for s in (con or duckdb).extract_statements(sql)]
    except Exception:
        return [(sql, None, set())]


def strip_tail(sql):
    """Drops trailing comments and `;`: the python package re-parses a relation's SQL inside a
    subquery when projecting it, where `SELECT 1; -- note` would be a syntax error."""
    end = len(sql)
    for pos, kind in reversed(duckdb.tokenize(sql)):
        if kind != duckdb.token_type.comment and sql[pos] != ';':
            break
        end = pos
    return sql[:end]


def cell(value):
    """SQLLogicTest spelling of one VARCHAR-rendered value."""
    return 'NULL' if value is None else '(empty)' if value == '' else value


class PythonBackend:
    name = 'python'

    def __init__(self, timeout):
        if duckdb is None:
            sys.exit('run_slt.py: the python backend needs the duckdb package')
        self.timeout, self.cons = timeout, {}

    def open(self, path, readonly):
        self.close()
        try:
            con = duckdb.connect(path or ':memory:', read_only=readonly,
                                 config={'allow_unsigned_extensions': 'true'})
            con.execute("SET TimeZone='UTC'")
        except Exception as e:
            raise BackendDied(f'cannot open database {path or ":memory:"}: {e}')
        self.cons = {'': con}

    def close(self):
        for con in reversed(list(self.cons.values())):  # extra cursors before the main connection
            con.close()
        self.cons = {}

    def has_connection(self, name):
        return True

    def run(self, sql, conn, want_result):
        """Runs sql; returns (column count, rows of cells) if want_result. Raises SqlError."""
        if conn not in self.cons:
            self.cons[conn] = self.cons[''].cursor()  # another connection to the same database
        con = self.cons[conn]
        fired = []
        timer = threading.Timer(self.timeout, lambda: (fired.append(True), con.interrupt()))
        timer.start()
        try:
            if not want_result:
                con.execute(sql)
                con.complete()  # run to the end: errors can surface while rows stream
                return None
            *before, (last, kind, result_types) = split_statements(sql, con) or [('', None, set())]
            for text, _, _ in before:
                con.execute(text)
                con.complete()
            rel = con.sql(strip_tail(last)) if last.strip() else None  # lazy for a SELECT
            if rel is None:
                return 0, []
            # Match what the shell prints: nothing for statements that cannot return rows (SET,
            # ATTACH...), a row count for DML, nothing for other row counts (CREATE TABLE [AS]).
            if 'QUERY_RESULT' not in result_types and result_types:
                return 0, []
            if 'CHANGED_ROWS' in result_types and rel.columns == ['Count'] and kind not in COUNT_TYPES:
                return 0, []
            # Let DuckDB render every value as its VARCHAR cast; projecting the still-lazy relation
            # executes the query exactly once and keeps its row order.
            rel = rel.select('COLUMNS(*)::VARCHAR')
            return len(rel.columns), [[cell(v) for v in row] for row in rel.fetchall()]
        except Exception as e:  # duckdb.Error, or anything the package raises while converting
            if fired:
                raise BackendDied(f'timed out after {self.timeout}s')
            raise SqlError(str(e)) from None
        finally:
            timer.cancel()


class CliBackend:
    """One `duckdb` shell per database, fed over stdin. Each statement is written to a file and
    run with `.read`, so an unterminated string or comment cannot swallow the following commands.
    After it come an unknown dot command (its error message is our marker on stderr; .print can
    only write stdout) and a `.print` marker on stdout. Errors are whatever reaches stderr."""
    name = 'cli'
    CHANGES = re.compile(rb'changes:\s+\d+\s+total_changes:\s+(\d+)\n\Z')

    def __init__(self, exe, timeout):
        if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
            sys.exit(f'run_slt.py: no executable duckdb CLI at {exe!r} (use --cli PATH)')
        self.exe, self.timeout, self.proc = exe, timeout, None
        self.scratch = tempfile.mkdtemp(prefix='slt_cli_')
        self.null = f'<SLT-NULL-{uuid.uuid4().hex[:8]}>'  # .nullvalue: tells NULL from the text 'NULL'
        self.seq = 0

    def open(self, path, readonly):
        self.close()
        cmd = [self.exe, '-unsigned', '-batch', '-no-init'] + (['-readonly'] if readonly else [])
        # A session of its own, so that a hung or crashed shell can be ended with all its
        # children: the PyPI `duckdb` is a Python wrapper that runs the real binary.
        self.proc = subprocess.Popen(cmd + ([path] if path else []), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     start_new_session=True)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ, 'out')
        self.sel.register(self.proc.stderr, selectors.EVENT_READ, 'err')
        self.total_changes = 0
        # csv + headers: values are exactly their VARCHAR cast, quoted when they contain
        # separators/newlines, and the header row gives the column count even for zero rows.
        # `.changes on` reports changed rows for DML (printed after every statement).
        _, err = self._exchange(f".bail off\n.mode csv\n.headers on\n.changes on\n"
                                f".nullvalue {self.null}\nSET TimeZone='UTC';")
        if err.strip():
            raise BackendDied(f'cannot open database {path or ":memory:"}:\n{err.strip()}')

    def close(self):
        if self.proc:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self._kill_group()
                self.proc.wait()
            self.sel.close()
            self.proc.stdout.close()
            self.proc.stderr.close()
            self.proc = None

    def has_connection(self, name):
        return name == ''  # one shell, one connection

    def _kill_group(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def _died(self, why, stderr=b''):
        """Ends the shell (why=None: it went away by itself) and abandons the file."""
        try:
            rc = self.proc.wait(timeout=0 if why else 5)  # a crash: collect its own exit status
        except subprocess.TimeoutExpired:
            rc = None
        self._kill_group()
        rc = self.proc.wait() if rc is None else rc
        self.close()
        if not why:
            why = f'duckdb CLI killed by signal {-rc}' if rc < 0 else f'duckdb CLI exited with code {rc}'
        detail = stderr.decode('utf-8', 'replace').strip()
        raise BackendDied(why + (f':\n{detail}' if detail else ''))

    def _exchange(self, commands):
        """Sends commands plus both markers; returns (stdout, stderr) bytes produced before them."""
        self.seq += 1
        tag = f'__slt_marker_{self.seq}__'.encode()
        try:
            self.proc.stdin.write(commands.encode() + b'\n.' + tag + b'\n.print ' + tag + b'\n')
            self.proc.stdin.flush()
        except OSError:
            self._died(None)
        buf = {'out': bytearray(), 'err': bytearray()}
        deadline = time.monotonic() + self.timeout
        while True:
            out_done = buf['out'].endswith(b'\n' + tag + b'\n') or buf['out'] == tag + b'\n'
            # The shell wrote all stderr before printing the stdout marker, so once both
            # markers are in, drain stderr only while bytes are still immediately available.
            wait = 0 if out_done and tag in buf['err'] else deadline - time.monotonic()
            if wait < 0:
                self._died(f'timed out after {self.timeout}s (duckdb CLI killed)', bytes(buf['err']))
            events = self.sel.select(wait)
            if not events and wait == 0:
                break
            for key, _ in events:
                data = os.read(key.fd, 1 << 16)
                if not data:  # EOF: the shell is gone (crash, or it exited on its own)
                    self._died(None, bytes(buf['err']))
                buf[key.data] += data
        err = bytes(buf['err'])
        err = err[:err.rfind(b'\n', 0, err.index(tag)) + 1]  # drop the marker's error message
        return bytes(buf['out'][:-len(tag) - 1]), err

    def run(self, sql, conn, want_result):
        out, kind, changed = b'', None, None
        # One statement per .read, stopping at the first error, as the python backend does.
        for text, kind, _ in split_statements(sql):
            changed = None
            script = os.path.join(self.scratch, 'stmt.sql')
            with open(script, 'w', encoding='utf-8') as f:
                f.write(text + '\n')
            out, err = self._exchange(f'.read "{script}"')
            m = self.CHANGES.search(out)
            if m:
                out, total = out[:m.start()], int(m.group(1))
                changed, self.total_changes = total - self.total_changes, total
            if err.strip():
                raise SqlError(err.decode('utf-8', 'replace').strip())
        if not want_result:
            return None
        if not out:  # no result set printed: DML reports its changed-row count
            return (1, [[str(changed)]]) if kind in COUNT_TYPES and changed is not None else (0, [])
        rows = list(csv.reader(io.StringIO(out.decode('utf-8', 'replace'), newline='')))
        rows = [row or [''] for row in rows]  # a lone empty value prints as an empty line
        return len(rows[0]), [[cell(None if v == self.null else v) for v in row] for row in rows[1:]]


# line: of the header; argv: the header's words; expected: lines after ----, or None
Record = collections.namedtuple('Record', 'line argv sql expected conds')


def parse(lines):
    """Yields records the way DuckDB's parser splits them: a record runs until a blank or `#`
    line; after `----` the expected lines run until a blank line (they may start with `#`)."""
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].strip() or lines[i].startswith('#'):
            i += 1
            continue
        start, body, expected = i, [], None
        while i < n and lines[i] and not lines[i].startswith('#'):
            if lines[i] == '----':
                expected, i = [], i + 1
                while i < n and lines[i]:
                    expected.append(lines[i])
                    i += 1
                break
            body.append(lines[i])
            i += 1
        conds = []  # `skipif <backend>` / `onlyif <backend>` lines before the record's header
        while len(body) > 1 and body[0].split()[:1] in (['skipif'], ['onlyif']):
            conds.append(body.pop(0).split())
        header = body[0].split() if body and body[0].strip() else ['----']
        yield Record(start + 1 + len(conds), header, '\n'.join(body[1:]), expected, conds)


class FileRun:
    def __init__(self, path, backend, args, stats):
        self.path, self.backend, self.args, self.stats = path, backend, args, stats

    def fail(self, rec, msg, sql=None):
        self.stats['failed'] += 1
        print(f'FAIL {self.path}:{rec.line}' if rec else f'FAIL {self.path}')
        if sql:
            print('    ' + sql.replace('\n', '\n    '))
        print(msg.rstrip() + '\n')

    def subst(self, text):
        return text.replace('__TEST_DIR__', self.test_dir).replace('__WORKING_DIRECTORY__', os.getcwd())

    def run(self):
        with open(self.path, encoding='utf-8') as f:
            lines = [line.rstrip('\r') for line in f.read().split('\n')]
        if self.args.only_backend_tag:
            tags = {t for rec in parse(lines) if rec.argv[0] == 'tags' for t in rec.argv[1:]}
            if self.backend.name not in tags:
                self.stats['skipped'] += 1
                print(f'SKIP {self.path}: not tagged `{self.backend.name}`')
                return
        self.test_dir = tempfile.mkdtemp(prefix='slt_test_')
        try:
            self.db = (None, False)
            self.backend.open(*self.db)
            self.run_records(parse(lines))
        except BackendDied as e:
            self.fail(None, str(e))
        finally:
            self.backend.close()
            shutil.rmtree(self.test_dir, ignore_errors=True)

    def run_records(self, records):
        skipping = False
        for rec in records:
            cmd, params = rec.argv[0], rec.argv[1:]
            runs_sql = cmd in ('statement', 'query')
            if cmd not in ('statement', 'query', 'require', 'load', 'restart', 'mode', 'halt', 'tags'):
                self.fail(rec, f'unknown directive {cmd!r}')
                continue
            if not runs_sql and (rec.sql or rec.expected is not None):
                self.fail(rec, f'unexpected lines after single-line directive {cmd!r}')
                continue
            if cmd == 'mode' and params in (['skip'], ['unskip']):
                skipping = params == ['skip']
                continue
            conds_ok = all((name == self.backend.name) == (kind == 'onlyif') for kind, name, *_ in rec.conds)
            if skipping or not conds_ok:
                self.stats['skipped'] += runs_sql
                continue
            try:
                if cmd == 'statement':
                    self.statement(rec, params)
                elif cmd == 'query':
                    self.query(rec, params)
                elif cmd == 'require':
                    if not self.require(rec, params):
                        return
                elif cmd == 'load' and 1 <= len(params) <= 2 and params[1:] in ([], ['readonly']):
                    self.db = (os.path.abspath(self.subst(params[0])), params[1:] == ['readonly'])
                    self.backend.open(*self.db)
                elif cmd == 'restart' and not params:
                    self.backend.open(*self.db)
                elif cmd == 'halt':
                    return
                elif cmd != 'tags':
                    self.fail(rec, f'unsupported form: {" ".join(rec.argv)}')
            except BackendDied as e:
                self.fail(rec, f'{e}; rest of the file not run', self.subst(rec.sql))
                return

    def connection(self, rec, name):
        """True if this backend can run a record on connection `name` (else it is skipped)."""
        if self.backend.has_connection(name):
            return True
        self.stats['skipped'] += 1
        return False

    def require(self, rec, params):
        if len(params) != 1:
            self.fail(rec, f'unsupported require form: {" ".join(rec.argv)}')
            return True
        name = params[0]
        path = self.args.ext.get(name)
        try:
            self.backend.run("LOAD '%s'" % path.replace("'", "''") if path else f'LOAD {name}', '', False)
            return True
        except SqlError as e:
            if path:  # the extension under test must load
                self.fail(rec, f'require {name}: LOAD {path} failed:\n{e}')
            else:
                self.stats['skipped'] += 1
                print(f'SKIP {self.path}: require {name}: {str(e).splitlines()[0]}')
            return False

    def statement(self, rec, params):
        if not params or params[0] not in ('ok', 'error') or len(params) > 2:
            return self.fail(rec, f'expected `statement ok|error [connection]`, got: {" ".join(rec.argv)}')
        if params[0] == 'ok' and rec.expected is not None:
            return self.fail(rec, '`statement ok` cannot have an expected result (----)')
        if not self.connection(rec, params[1] if len(params) > 1 else ''):
            return
        sql = self.subst(rec.sql)
        try:
            self.backend.run(sql, params[1] if len(params) > 1 else '', False)
        except SqlError as e:
            if params[0] == 'ok':
                return self.fail(rec, f'statement failed:\n{e}', sql)
            expected = self.subst('\n'.join(rec.expected or [])).strip()
            problem = error_mismatch(expected, str(e))
            if problem:
                return self.fail(rec, f'{problem}\n--- expected error:\n{expected}\n'
                                      f'--- actual error:\n{e}', sql)
        else:
            if params[0] == 'error':
                return self.fail(rec, 'statement succeeded, but an error was expected', sql)
        self.stats['passed'] += 1

    def query(self, rec, params):
        types = params[0] if params else ''
        sort, conn = 'nosort', ''
        if len(params) > 1:
            sort = SORT_STYLES.get(params[1], 'nosort')
            conn = '' if params[1] in SORT_STYLES else params[1]  # as in DuckDB: else a connection
        if not re.fullmatch('[ITR]+', types) or len(params) > 2:
            return self.fail(rec, f'expected `query <ITR...> [sort|connection]`, got: {" ".join(rec.argv)}'
                             + (' (query labels are not supported)' if len(params) > 2 else ''))
        if rec.expected is None:
            return self.fail(rec, 'query without an expected result (----)')
        if not self.connection(rec, conn):
            return
        sql = self.subst(rec.sql)
        try:
            ncols, rows = self.backend.run(sql, conn, True)
        except SqlError as e:
            return self.fail(rec, f'query failed:\n{e}', sql)
        actual = ['\t'.join(row) for row in rows]
        if ncols != len(types):
            return self.fail(rec, f'wrong column count: expected {len(types)} ({types}), got {ncols}\n'
                             f'--- actual rows:\n' + ('\n'.join(actual) or '(none)'), sql)
        expected = [self.subst(line) for line in rec.expected]
        if sort == 'rowsort':
            expected = ['\t'.join(r) for r in sorted(line.split('\t') for line in expected)]
            actual = ['\t'.join(r) for r in sorted(rows)]
        elif sort == 'valuesort':  # compare the multiset of values, one per line
            expected = sorted(v for line in expected for v in line.split('\t'))
            actual = sorted(v for row in rows for v in row)
        if expected != actual:
            diff = difflib.unified_diff(expected, actual, 'expected', 'actual', lineterm='', n=2)
            self.fail(rec, f'wrong result ({len(expected)} expected vs {len(actual)} actual lines, {sort}):\n'
                      + '\n'.join(diff), sql)
        else:
            self.stats['passed'] += 1


def error_mismatch(expected, message):
    """None if the error message satisfies the expectation, else why not."""
    if not expected:
        return None
    for prefix, want in (('<REGEX>:', True), ('<!REGEX>:', False)):
        if expected.startswith(prefix):
            try:
                found = re.search(expected[len(prefix):], message, re.S) is not None
            except re.error as e:
                return f'invalid regex: {e}'
            return None if found == want else 'error message does not match the regex'
    return None if expected in message else 'error message does not contain the expected text'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--backend', choices=('python', 'cli'), required=True)
    ap.add_argument('--cli', default='duckdb', help='duckdb shell binary (cli backend)')
    ap.add_argument('--ext', action='append', default=[], metavar='NAME=PATH',
                    help='load PATH for `require NAME`; a failed load is then a failure')
    ap.add_argument('--timeout', type=float, default=300, help='seconds per statement (default 300)')
    ap.add_argument('--only-backend-tag', action='store_true',
                    help='run only files with a `tags` directive naming the backend')
    ap.add_argument('paths', nargs='+', metavar='FILE_OR_DIR')
    args = ap.parse_args()
    exts = {}
    for item in args.ext:
        name, sep, path = item.partition('=')
        if not (sep and name and path):
            ap.error(f'--ext expects NAME=PATH, got {item!r}')
        exts[name] = os.path.abspath(path)
    args.ext = exts
    files = []
    for p in args.paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(d, f) for d, _, fs in os.walk(p) for f in fs if f.endswith('.test'))
        elif os.path.isfile(p):
            files.append(p)
        else:
            ap.error(f'no such file or directory: {p}')

    exe = shutil.which(args.cli) or args.cli
    backend = PythonBackend(args.timeout) if args.backend == 'python' else CliBackend(exe, args.timeout)
    stats = {'passed': 0, 'failed': 0, 'skipped': 0}
    try:
        for path in sorted(set(files)):
            FileRun(path, backend, args, stats).run()
    finally:
        if args.backend == 'cli':
            shutil.rmtree(backend.scratch, ignore_errors=True)
    summary = f"{stats['passed']} passed, {stats['failed']} failed"
    print(summary + (f", {stats['skipped']} skipped" if stats['skipped'] else ''))
    return 1 if stats['failed'] or not (stats['passed'] + stats['failed']) else 0


if __name__ == '__main__':
    sys.exit(main())
