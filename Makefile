# scour's own Makefile: it only wraps cargo and scour.
#   make          build scour and clean samples/ into out/
#   make test     run every test (what CI runs; needs ../shared, or SCOUR_SKIP_CORPUS=1):
#                 cargo's, then the Python package's and Parquet's (pytest, in a venv it makes)
#   make wheel    build the scour-text wheel (release) into target/wheels
#   make eval     score the cleaning on ../shared/corpus/wechat and wechat-archivers (per file, per family)
#   make bench    throughput and memory against the baselines (see bench/README.md)
#   make fuzz     run each fuzz target for FUZZ_SECONDS (needs `cargo install cargo-fuzz`; see fuzz/README.md)
#   make clean    remove build output and out/

# Where `cargo build --release` puts scour: under CARGO_TARGET_DIR when it is set.
SCOUR   ?= $(or $(CARGO_TARGET_DIR),target)/release/scour
SHARED  ?= ../shared
FUZZ_SECONDS ?= 60

# The Python tests' venv (pyspark, pandas, pyarrow, duckdb, maturin, pytest
# from PyPI, versions in crates/python/requirements-test.txt).
VENV    ?= target/venv
PY      := $(VENV)/bin/python

.PHONY: all build test test-python wheel eval bench fuzz clean samples-expected lint

all: out/clean.jsonl

build:
	cargo build --release --locked

$(SCOUR): build

out/clean.jsonl: $(SCOUR) $(wildcard samples/dumps/*)
	@mkdir -p out
	$(SCOUR) run samples/dumps -o $@ --dups out/dups.jsonl --rejects out/rejects.jsonl --report out/report.json

# The tests that read ../shared (the corpus, the benchmark captures) fail when it
# is missing; SCOUR_SKIP_CORPUS=1 skips them instead, and says so here.
test:
	cargo test --workspace --locked
	cargo test --locked --manifest-path vendor/whatlang/Cargo.toml --target-dir target/vendor --lib
	$(MAKE) test-python
ifeq ($(SCOUR_SKIP_CORPUS),1)
	@echo "make test: SCOUR_SKIP_CORPUS=1, so the tests that read ../shared (corpus, benchmark captures) were skipped" >&2
endif

$(VENV)/.installed: crates/python/requirements-test.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r crates/python/requirements-test.txt
	touch $@

# The extension is built in the dev profile, so the test build, clippy's
# dependencies' sources and this share one arrow build (features are the
# workspace's). pytest runs the package's tests, the Parquet output's
# (against target/debug/scour, which cargo test builds) and Spark's in local
# mode.
test-python: $(VENV)/.installed
	test -x target/debug/scour || cargo build --locked --bin scour
	rm -rf target/wheels/dev
	$(VENV)/bin/maturin build --quiet --locked --profile dev -m crates/python/Cargo.toml -i $(PY) -o target/wheels/dev
	$(PY) -m pip install -q --force-reinstall --no-deps target/wheels/dev/*.whl
	SCOUR_BIN=$(CURDIR)/target/debug/scour SHARED=$(abspath $(SHARED)) WHEEL_DIR=$(CURDIR)/target/wheels/dev \
	  $(PY) -m pytest -q crates/python/tests

wheel: $(VENV)/.installed
	$(VENV)/bin/maturin build --release --locked -m crates/python/Cargo.toml -i $(PY) -o target/wheels

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

# Each corpus folder's input folders only (not gold/ or PROVENANCE.md), kept
# records and duplicates scored together, as ../shared/corpus/README.md says.
eval: build
	@for f in wechat wechat-archivers; do \
	  d=$(SHARED)/corpus/$$f; o=out/eval/$$f; mkdir -p $$o; \
	  echo "== $$f"; \
	  $(SCOUR) run $$(find $$d -mindepth 1 -maxdepth 1 -type d ! -name gold | sort) -q \
	    -o $$o/clean.jsonl --dups $$o/dups.jsonl --rejects $$o/rejects.jsonl || exit 1; \
	  cat $$o/clean.jsonl $$o/dups.jsonl > $$o/all.jsonl; \
	  python3 $(SHARED)/tools/score.py $$o/all.jsonl $$d/gold || exit 1; \
	  python3 tools/eval_report.py $$o/all.jsonl $$d/gold || exit 1; \
	done

bench: build
	bash bench/run.sh

fuzz:
	cd fuzz && for t in $$(RUSTC_BOOTSTRAP=1 cargo fuzz list); do \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) || exit 1; done

samples-expected: build
	@mkdir -p samples/expected
	$(SCOUR) run samples/dumps -q -o samples/expected/clean.jsonl --dups samples/expected/dups.jsonl --rejects samples/expected/rejects.jsonl

clean:
	cargo clean
	rm -rf out
