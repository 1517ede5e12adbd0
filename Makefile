# scour's own Makefile: it only wraps cargo and scour.
#   make          build scour and clean samples/ into out/
#   make test     run every test (what CI runs)
#   make eval     score the cleaning on ../shared/corpus against its golden files
#   make bench    throughput and memory against the baselines (see bench/README.md)
#   make fuzz     run each fuzz target for FUZZ_SECONDS (needs `cargo install cargo-fuzz`; see fuzz/README.md)
#   make clean    remove build output and out/

SCOUR   := target/release/scour
SHARED  ?= ../shared
CORPUS  := $(SHARED)/corpus/wechat
FUZZ_SECONDS ?= 60

.PHONY: all build test eval bench fuzz clean samples-expected lint

all: out/clean.jsonl

build:
	cargo build --release --locked

$(SCOUR): build

out/clean.jsonl: $(SCOUR) $(wildcard samples/dumps/*)
	@mkdir -p out
	$(SCOUR) run samples/dumps -o $@ --dups out/dups.jsonl --rejects out/rejects.jsonl --report out/report.json

test:
	cargo test --workspace --locked

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

eval: build
	@mkdir -p out/eval
	$(SCOUR) run $(CORPUS) -q -o out/eval/clean.jsonl --dups out/eval/dups.jsonl --rejects out/eval/rejects.jsonl
	cat out/eval/clean.jsonl out/eval/dups.jsonl > out/eval/all.jsonl
	python3 $(SHARED)/tools/score.py out/eval/all.jsonl $(CORPUS)/gold

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
