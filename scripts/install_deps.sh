#!/usr/bin/env bash
# Installs exactly the Debian 12 packages sqlmill needs, skipping those already present.
# Idempotent: a second run installs nothing and prints nothing but a one-line summary.
# Called by every entry point (make run, make test, .ci/run). Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build make pkg-config ccache
  # libFuzzer targets (make fuzz) are built with clang
  clang libclang-rt-14-dev
  # C++ libraries
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libantlr4-runtime-dev antlr4 default-jre-headless
  libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev
  prometheus-cpp-dev libcivetweb-dev libyaml-cpp-dev
  zlib1g-dev  # gzip tar archives in dbt_compiler (also a dependency of libgrpc++-dev)
  libre2-dev  # schema_validator name patterns (also a dependency of libgrpc-dev)
  libssl-dev  # OpenSSL EVP digests in dbt_compiler (also a dependency of libgrpc-dev)
  # Python side (run with /usr/bin/python3)
  python3 python3-grpcio python3-protobuf python3-pytest python3-jinja2
  python3-fastapi python3-uvicorn python3-httpx python3-yaml
  # peers measured beside us in bench/
  python3-sqlglot
  nghttp2-client  # h2load, the load generator of bench/load
  # utilities the tests use
  curl
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# npm tooling, pinned in its package-lock.json: the offline Kubernetes schema check of
# tests/deploy (tools/k8s_validate). Node.js comes from Debian when the machine has none.
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v npm >/dev/null 2>&1; then
    for p in nodejs npm; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
npm_tools() {
  if [ ! -d "$root/tools/k8s_validate/node_modules/kubernetes-models" ]; then
    echo "install_deps: npm ci in tools/k8s_validate"
    (cd "$root/tools/k8s_validate" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  npm_tools
  echo "install_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install_deps: missing packages (${missing[*]}) and not root; install them with apt-get" >&2
    exit 1
  fi
fi
echo "install_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
npm_tools
echo "install_deps: done"
