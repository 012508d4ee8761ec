"""Server peak RSS against script size, beside sqlglot on the same scripts.

For each kind (bench/memory/gen_script.py: tiny, realistic) and size, starts a fresh
sqlmill-server on loopback with the given flags, sends the script once through
ParseScriptStream (1 MB chunks, Debian's grpcio), samples the server's RSS from /proc every
10 ms and prints one row: idle, peak, peak ÷ input, the answer (tables, response size) or
the status, the time, and RSS 3 s after. sqlglot (Debian's python3-sqlglot,
`sqlglot.parse(script, read="tsql")` per GO batch, in a child process) is run on the
sizes up to --peer-max-mb and its peak RSS printed beside ours; beyond that it is not run
(it parses about 0.5 MB/s, and its memory grows with its AST). It never passes or fails.

  /usr/bin/python3 bench/memory/peak_rss.py                          # default server flags
  /usr/bin/python3 bench/memory/peak_rss.py --flag=--max_call_memory_bytes=0 --sizes 20
  /usr/bin/python3 bench/memory/peak_rss.py --server /path/to/old/sqlmill-server
"""

import argparse
import os
import re
import select
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD = os.path.abspath(os.environ.get("SQLMILL_BUILD_DIR", os.path.join(ROOT, "build")))
sys.path[:0] = [HERE, os.path.join(BUILD, "python"), os.path.join(ROOT, "clients", "python")]

import grpc  # noqa: E402
from gen_script import generate  # noqa: E402
from sqlmill.v1 import sql_parser_pb2, sql_parser_pb2_grpc  # noqa: E402


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as handle:
        return int(re.search(r"VmRSS:\s+(\d+)", handle.read()).group(1)) / 1024


def start_server(binary, flags):
    process = subprocess.Popen([binary, "--host=127.0.0.1", "--port=0", "--admin_port=0"] + flags,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{binary} exited with {process.returncode}")
        if select.select([process.stdout], [], [], 0.1)[0]:
            match = re.search(r"listening on (\S+:\d+)", process.stdout.readline())
            if match:
                return process, match.group(1)
    process.kill()
    sys.exit(f"{binary} did not start within 30 s")


def ours(binary, flags, name, data):
    process, address = start_server(binary, flags)
    try:
        channel = grpc.insecure_channel(address, options=[
            ("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)])
        stub = sql_parser_pb2_grpc.SqlParserServiceStub(channel)
        stub.ParseScript(sql_parser_pb2.ParseScriptRequest(file=sql_parser_pb2.SourceFile(
            name="warm.sql", content=b"CREATE TABLE t (a int);")), timeout=30)
        idle = rss_mb(process.pid)

        def chunks():
            yield sql_parser_pb2.ParseScriptChunk(name=name)
            for i in range(0, len(data), 1 << 20):
                yield sql_parser_pb2.ParseScriptChunk(content=data[i:i + (1 << 20)])

        started = time.monotonic()
        future = stub.ParseScriptStream.future(chunks(), timeout=900)
        peak = idle
        while not future.done():
            peak = max(peak, rss_mb(process.pid))
            time.sleep(0.01)
        elapsed = time.monotonic() - started
        try:
            response = future.result()
            tables = sum(len(s.tables) for d in response.catalog.databases for s in d.schemas)
            answer = f"{tables:,} tables, {response.ByteSize() / 1e6:.1f} MB answer"
        except grpc.RpcError as error:
            answer = f"{error.code().name}: {error.details()[:90]}"
        channel.close()
        time.sleep(3)
        return idle, peak, elapsed, answer, rss_mb(process.pid)
    finally:
        process.kill()
        process.wait()


PEER = r"""
import re, resource, sys, time
import sqlglot
text = open(sys.argv[1], encoding="utf-8").read()
batches = [b for b in re.split(r"(?im)^\s*GO\s*$", text) if b.strip()]
failed = 0
started = time.monotonic()
for b in batches:
    try:
        sqlglot.parse(b, read="tsql")
    except Exception:
        failed += 1
print(time.monotonic() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
      failed, len(batches))
"""


def peer(path):
    out = subprocess.run(["/usr/bin/python3", "-c", PEER, path], capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        return f"failed: {out.stderr.strip().splitlines()[-1] if out.stderr else out.returncode}"
    seconds, peak, failed, batches = out.stdout.split()
    return (f"{float(peak):,.0f} MB ({float(seconds):.1f} s, "
            f"{int(failed)} of {int(batches)} batches failed)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", default=os.path.join(BUILD, "bin", "sqlmill-server"))
    ap.add_argument("--flag", action="append", default=[], help="a server flag (repeatable)")
    ap.add_argument("--sizes", default="1,5,20,50", help="MB, comma-separated")
    ap.add_argument("--kinds", default="tiny,realistic")
    ap.add_argument("--peer-max-mb", type=float, default=5)
    args = ap.parse_args()
    print(f"server: {args.server} {' '.join(args.flag)}")
    print("| kind | input | idle | peak | peak ÷ input | above idle ÷ input | time | answer "
          "| 3 s after | sqlglot peak |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|---|")
    for kind in args.kinds.split(","):
        for size in [float(s) for s in args.sizes.split(",")]:
            data, _ = generate(kind, size)
            path = f"/tmp/sqlmill-peak-{kind}-{size:g}.sql"
            with open(path, "wb") as handle:
                handle.write(data)
            idle, peak, elapsed, answer, after = ours(args.server, args.flag, f"{kind}.sql", data)
            mb = len(data) / 1e6
            other = peer(path) if size <= args.peer_max_mb else "not run"
            print(f"| {kind} | {mb:.1f} MB | {idle:.0f} MB | {peak:,.0f} MB | {peak / mb:.1f}× "
                  f"| {(peak - idle) / mb:.1f}× | {elapsed:.1f} s | {answer} | {after:.0f} MB "
                  f"| {other} |", flush=True)
            os.unlink(path)


if __name__ == "__main__":
    main()
