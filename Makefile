# focus: a DuckDB extension (Rust) that turns cloud billing exports into FinOps FOCUS.
#
#   make            build build/release/focus.duckdb_extension
#   make demo       run the main job on the bundled sample data
#   make test       cargo unit tests + SQLLogicTests on Python duckdb 2.0.x and duckdb-cli 1.5.x
#                   + the official FOCUS validator on our output
#   make install    install the extension so `LOAD focus;` works by name (Python and CLI)
#   make bench      throughput and memory benchmark (not part of `make test`)
#
# Everything installs itself: cargo fetches crates, the Python side lives in local venvs.

EXT_NAME        := focus
EXT_VERSION     := v$(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
# The oldest C API that has every function duckdb-rs calls: DuckDB >= 1.5.6 (README, Compatibility).
CAPI_VERSION    := v1.5.6
PLATFORM        := linux_amd64
EXT             := build/release/$(EXT_NAME).duckdb_extension

# Pinned hosts the tests run against.
DUCKDB_PY_PIN   := duckdb==2.0.1
DUCKDB_CLI_PIN  := duckdb-cli==1.5.6
PYTHON          ?= python3
VENV            := .venv
VPY             := $(VENV)/bin/python
VCLI            := $(VENV)/bin/duckdb
VENV_STAMP      := $(VENV)/.stamp-$(subst ==,-,$(DUCKDB_PY_PIN))-$(subst ==,-,$(DUCKDB_CLI_PIN))

# Tests and servers stay on loopback: no SDK may probe a cloud metadata address.
export AWS_EC2_METADATA_DISABLED := true

.PHONY: all release debug test test-unit test-sql test-sql-python test-sql-cli test-validate \
        demo install bench clean venv fmt lint

all: release

release: $(EXT)

$(EXT): FORCE
	cargo build --release
	@mkdir -p $(dir $@)
	$(PYTHON) tools/append_footer.py target/release/lib$(EXT_NAME).so $@ \
		--extension-version $(EXT_VERSION) --capi-version $(CAPI_VERSION) --platform $(PLATFORM)

debug:
	cargo build
	@mkdir -p build/debug
	$(PYTHON) tools/append_footer.py target/debug/lib$(EXT_NAME).so build/debug/$(EXT_NAME).duckdb_extension \
		--extension-version $(EXT_VERSION) --capi-version $(CAPI_VERSION) --platform $(PLATFORM)

FORCE:

venv: $(VENV_STAMP)
$(VENV_STAMP):
	$(PYTHON) -m venv $(VENV)
	PIP_FIND_LINKS= $(VPY) -m pip install --quiet $(DUCKDB_PY_PIN) $(DUCKDB_CLI_PIN)
	@touch $@

include mk/validator.mk

# --- tests --------------------------------------------------------------------------------------
SLT         := $(VPY) test/run_slt.py --ext $(EXT_NAME)=$(EXT)
SLT_DIRS    := test/sql
# Test-only functions (forced panics) are registered only when this is set at LOAD time.
TEST_ENV    := FOCUS_ENABLE_TEST_HOOKS=1 FOCUS_SAMPLES=$(abspath ../shared/samples)

test: test-unit test-sql test-validate

test-unit:
	cargo test --release --lib

test-sql: test-sql-python test-sql-cli

test-sql-python: $(EXT) venv
	$(TEST_ENV) $(SLT) --backend python $(SLT_DIRS)

test-sql-cli: $(EXT) venv
	$(TEST_ENV) $(SLT) --backend cli --cli $(VCLI) $(SLT_DIRS)

test-validate: $(EXT) venv validator-venv validator-selftest

# --- using it -----------------------------------------------------------------------------------
demo: $(EXT) venv
	$(VPY) examples/demo.py --ext $(EXT)

# Copies the extension where DuckDB looks for `LOAD focus` (~/.duckdb/extensions/<version>/<platform>/),
# once per host version: Python duckdb 2.0.x and the 1.5.x shell keep separate directories.
install: $(EXT) venv
	$(VPY) -c "import duckdb; c = duckdb.connect(config={'allow_unsigned_extensions': 'true'}); \
	c.execute(\"FORCE INSTALL '$(abspath $(EXT))'\"); c.execute('LOAD focus'); \
	print('installed for Python duckdb', duckdb.__version__)"
	$(VCLI) -unsigned -c "FORCE INSTALL '$(abspath $(EXT))'; LOAD focus; SELECT 'installed for duckdb-cli ' || version() AS result;"

bench: $(EXT) venv
	$(VPY) bench/run_bench.py --ext $(EXT)

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --release --all-targets -- -D warnings

clean:
	cargo clean
	rm -rf build $(VENV) $(VALIDATOR_VENV)
