#!/usr/bin/env bash
# `make run`: starts the all-in-one server on loopback, runs the example pipeline against it
# through the Python client, and prints how to reach the server. On a terminal the server
# keeps running until Ctrl-C; otherwise (CI, scripts) it is stopped after the pipeline.
# Ports: SQLMILL_PORT (default 50051) and SQLMILL_ADMIN_PORT (default 9090).
set -euo pipefail
build_dir=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
port=${SQLMILL_PORT:-50051}
admin_port=${SQLMILL_ADMIN_PORT:-9090}

log=$(mktemp -t sqlmill-server.XXXXXX.log)
out=$(mktemp -t sqlmill-server.XXXXXX.out)
"$build_dir/bin/sqlmill-server" --host=127.0.0.1 --port="$port" --admin_port="$admin_port" \
  --shutdown_grace_seconds=5 >"$out" 2>"$log" &
pid=$!
stop() {
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
trap stop EXIT INT TERM

for _ in $(seq 1 100); do
  grep -q "listening on" "$out" 2>/dev/null && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "sqlmill-server did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
cat "$out"

PYTHONPATH="$root/clients/python:$build_dir/python" /usr/bin/python3 "$root/scripts/example_pipeline.py" \
  --server "127.0.0.1:$port" --examples "$root/examples"

echo
echo "sqlmill-server is running at 127.0.0.1:$port (gRPC); metrics at http://127.0.0.1:$admin_port/metrics"
echo "  call it from Python:  PYTHONPATH=clients/python:$build_dir/python /usr/bin/python3 -c \\"
echo "    'from sqlmill_client import SqlmillClient; print(SqlmillClient(\"127.0.0.1:$port\").health())'"
echo "  server log (JSON lines): $log"
if [ -t 0 ] && [ -t 1 ]; then
  echo "Press Ctrl-C to stop it."
  wait "$pid"
else
  echo "Not on a terminal: stopping the server."
fi
