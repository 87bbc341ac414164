# Keel: every target sets up what it needs (scripts/bootstrap installs the Debian packages).
SWIFT ?= swift
SECONDS ?= 60
RUNS ?= 10000
SEED ?= 1
TARGET ?=
# Tests run optimised: the simulator and differential tests are ~10x faster than in debug, and
# preconditions, overflow traps and bounds checks stay on in -O. -enable-testing keeps
# @testable imports working; `make release` uses the same flags so both share one build.
RELEASE_FLAGS = -c release -Xswiftc -enable-testing

.PHONY: help bootstrap build release test devnet soak fuzz fuzz-smoke fuzz-api bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

bootstrap: ## Install the system libraries (libsecp256k1, OpenSSL, SQLite) if missing
	@scripts/bootstrap

build: bootstrap ## Build everything (debug)
	$(SWIFT) build

release: bootstrap ## Build the keel binary optimised (.build/release/keel)
	$(SWIFT) build $(RELEASE_FLAGS) --product keel

# --disable-swift-testing: every test is XCTest; without it Swift Testing prints a closing
# "Test run with 0 tests" line after XCTest's summary.
test: bootstrap ## Build and run the whole test suite (optimised)
	$(SWIFT) build $(RELEASE_FLAGS) --build-tests
	$(SWIFT) test $(RELEASE_FLAGS) --skip-build --disable-swift-testing

devnet: release ## Start a local 4-validator testnet on 4 nodes (Ctrl-C stops it): make devnet [DEVNET_ARGS=...]
	@scripts/devnet $(DEVNET_ARGS)

soak: release ## Seeded random simulations with mixed faults, each checked (make soak [RUNS=10000] [SEED=1])
	.build/release/keel sim soak --runs $(RUNS) --seed $(SEED)

fuzz: bootstrap ## Run fuzz targets: make fuzz [TARGET=name] [SECONDS=60]
	@scripts/fuzz $(SECONDS) $(TARGET)

fuzz-smoke: bootstrap ## A 20-second fuzz run of every target (CI)
	@scripts/fuzz 20

fuzz-api: release ## schemathesis against a live testnet's API, from its OpenAPI document (make fuzz-api [SECONDS=60])
	@scripts/fuzz-api $(SECONDS)

bench: bootstrap ## Run the benchmark suite and print each benchmark against its limit (QUICK=1: fewer rounds)
	@scripts/bench

clean: ## Remove build products
	rm -rf .build Fuzz/.build Benchmarks/.build
