#!/usr/bin/python3
"""sql_parser beside Debian's python3-sqlglot on the SQL Server corpus.

Builds two input sets from ../shared/corpus/mssql (run from the source root):
  ddl     the GO batches whose first statement is CREATE/ALTER/DROP, as one script
  corpus  every .sql file as it is (sqlcmd lines included; sqlglot gets them stripped)
runs build-*/bin/sql_parser_bench on each and sqlglot (read="tsql", one parse per GO batch)
on the same batches in this same run, and prints throughput, peak memory and the share of
batches sqlglot fails on. It never passes or fails.

  /usr/bin/python3 bench/sql_parser_bench.py [--engine build/bin/sql_parser_bench]
(`make bench` runs it with SQLMILL_BUILD_DIR set; the engine binary is built with
SQLMILL_BUILD_BENCHMARKS=ON.)
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc

import sqlglot

CORPUS = "../shared/corpus/mssql"
GO = re.compile(r'^[ \t]*GO(?:[ \t]+\d+)?[ \t]*(?:--.*)?$', re.I | re.M)
SQLCMD = re.compile(r'^[ \t]*:(setvar|on|r)\b.*$', re.I | re.M)
FIRST_WORD = re.compile(r'^(?:\s+|--[^\n]*\n|/\*.*?\*/)*(\w+)', re.S)


def corpus_files():
    out = []
    for root, _, names in os.walk(CORPUS):
        out += [os.path.join(root, n) for n in names if n.lower().endswith('.sql')]
    return sorted(out)


def read(path):
    return open(path, 'rb').read().decode('utf-8-sig')


def batches(text):
    return [b for b in GO.split(SQLCMD.sub('', text)) if b.strip()]


def sqlglot_run(batch_list, iterations):
    """Returns (seconds for all batches, failures, peak bytes, MB/s over parsed batches only)."""
    failed = 0
    times = []
    ok_time = ok_bytes = 0.0
    for it in range(iterations):
        failed = 0
        ok_time = ok_bytes = 0.0
        start = time.perf_counter()
        for b in batch_list:
            t0 = time.perf_counter()
            try:
                sqlglot.parse(b, read="tsql")
                ok_time += time.perf_counter() - t0
                ok_bytes += len(b.encode('utf-8'))
            except Exception:  # sqlglot raises ParseError, TokenError and others
                failed += 1
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    for b in batch_list:
        try:
            sqlglot.parse(b, read="tsql")
        except Exception:
            pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(times), failed, peak, (ok_bytes / 1e6) / ok_time if ok_time else 0.0


def ours(engine, files, iterations):
    out = subprocess.run([engine, '--iterations', str(iterations)] + files, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--engine', default=os.path.join(os.environ.get('SQLMILL_BUILD_DIR', 'build'),
                                                     'bin', 'sql_parser_bench'))
    ap.add_argument('--iterations', type=int, default=10)
    ap.add_argument('--sqlglot-iterations', type=int, default=2)
    args = ap.parse_args()
    files = corpus_files()
    tmp = tempfile.mkdtemp(prefix='sql_parser_bench_')
    ddl_batches = []
    for f in files:
        for b in batches(read(f)):
            m = FIRST_WORD.match(b)
            if m and m.group(1).upper() in ('CREATE', 'ALTER', 'DROP'):
                ddl_batches.append(b)
    ddl_path = os.path.join(tmp, 'ddl.sql')
    with open(ddl_path, 'w', encoding='utf-8') as fh:
        fh.write('\nGO\n'.join(ddl_batches) + '\nGO\n')
    corpus_batches = [b for f in files for b in batches(read(f))]
    rows = []
    for name, engine_files, glot_batches in (('ddl', [ddl_path], ddl_batches),
                                             ('corpus', files, corpus_batches)):
        o = ours(args.engine, engine_files, args.iterations)
        g_time, g_failed, g_peak, g_ok_mbs = sqlglot_run(glot_batches, args.sqlglot_iterations)
        mb = o['bytes'] / 1e6
        rows.append(dict(
            set=name, files=len(engine_files), bytes=o['bytes'], batches=len(glot_batches),
            ours_mbs=mb / (o['best_ns'] / 1e9), ours_ms=o['best_ns'] / 1e6,
            ours_peak=o['peak_heap_bytes'], ours_errors=o['errors'], ll=o['ll_fallbacks'],
            glot_mbs=mb / g_time, glot_ms=g_time * 1e3, glot_peak=g_peak, glot_failed=g_failed,
            glot_ok_mbs=g_ok_mbs))
    print('| set | input | ours MB/s | sqlglot MB/s (all batches) | ratio | sqlglot MB/s (batches it parses) '
          '| ratio | ours peak heap | × input | sqlglot peak | our errors | sqlglot failed batches |')
    print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for r in rows:
        print('| %s | %d files, %s bytes, %d batches | %.1f (%.1f ms) | %.3f (%.0f ms) | %.0f× | %.3f | %.0f× '
              '| %.1f MB | %.1f× | %.1f MB | %d | %d of %d (%.0f%%) |' % (
                  r['set'], r['files'], format(r['bytes'], ','), r['batches'], r['ours_mbs'],
                  r['ours_ms'], r['glot_mbs'], r['glot_ms'], r['ours_mbs'] / r['glot_mbs'],
                  r['glot_ok_mbs'], r['ours_mbs'] / r['glot_ok_mbs'] if r['glot_ok_mbs'] else 0,
                  r['ours_peak'] / 1e6, r['ours_peak'] / r['bytes'], r['glot_peak'] / 1e6,
                  r['ours_errors'], r['glot_failed'], r['batches'],
                  100.0 * r['glot_failed'] / max(1, r['batches'])))
    print('(our LL fallbacks: %s)' % ', '.join('%s %d' % (r['set'], r['ll']) for r in rows))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
