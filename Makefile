# sqlmill — the two commands a new user needs:
#   make run    installs what is missing, builds, starts the all-in-one server on loopback
#               and runs the example pipeline on the bundled example data
#   make test   installs what is missing, builds, runs every test
# Other targets: build, test-unit, test-e2e, test-asan, fuzz, bench, clean.
SHELL := /bin/bash
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
PYTHON := /usr/bin/python3
CMAKE_FLAGS ?=

.PHONY: all deps configure build run test test-unit test-e2e test-asan bench fuzz clean

all: build

deps:
	@bash scripts/install_deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) >/dev/null

build: configure

	ninja -C $(BUILD_DIR) -j $(JOBS)

run: build
	@bash scripts/run_example.sh $(BUILD_DIR)

test: build
	@bash scripts/run_tests.sh $(BUILD_DIR)

test-unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

test-e2e: build
	SQLMILL_BUILD_DIR=$(abspath $(BUILD_DIR)) $(PYTHON) -m pytest -q tests/e2e tests/deploy

# Debug build with AddressSanitizer + UndefinedBehaviorSanitizer; the same tests.
test-asan:
	@SQLMILL_SKIP_FUZZ=1 $(MAKE) --no-print-directory test BUILD_DIR=build-asan BUILD_TYPE=Debug \
	  CMAKE_FLAGS="-DSQLMILL_SANITIZE=ON -DSQLMILL_BUILD_BENCHMARKS=OFF"

# libFuzzer targets built with clang in build-fuzz/, FUZZ_SECONDS each (default 30).
fuzz: deps
	@bash scripts/run_fuzzers.sh $(or $(FUZZ_SECONDS),30)

bench: build
	@bash scripts/run_bench.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz
