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
# dbt-core 1.12 needs a parser wheel from GitHub (unreachable offline): stay on 1.11.
DBT_PINS        := dbt-duckdb==1.11.1 dbt-core==1.11.16
# test-s3: a real S3-compatible server (moto_server) on loopback, in its own venv with the same
# duckdb pin, so the SQL-test venv is not touched. test-cloud uses the same venv (moto for GCS's
# S3-interoperable XML API, azure-storage-blob to upload to Azurite).
MOTO_PIN        := moto[server]==5.2.5
AZURE_BLOB_PIN  := azure-storage-blob==12.31.1
S3_VENV         := .venv-s3
S3_VPY          := $(S3_VENV)/bin/python
S3_VENV_STAMP   := $(S3_VENV)/.stamp-moto-5.2.5-$(subst ==,-,$(DUCKDB_PY_PIN))-$(subst ==,-,$(AZURE_BLOB_PIN))
# test-cloud: Azurite (Microsoft's Azure Storage emulator, from npm) in a project-local folder.
# 3.35.0 is the newest that runs on the machine's Node 20 (3.36 and later declare node >= 21).
AZURITE_PIN     := 3.35.0
AZURITE_DIR     := build/azurite
AZURITE_STAMP   := $(AZURITE_DIR)/.stamp-azurite-$(AZURITE_PIN)
PYTHON          ?= python3
VENV            := .venv
VPY             := $(VENV)/bin/python
VCLI            := $(VENV)/bin/duckdb
VENV_STAMP      := $(VENV)/.stamp-$(subst ==,-,$(DUCKDB_PY_PIN))-$(subst ==,-,$(DUCKDB_CLI_PIN))-dbt1.11

# Tests and servers stay on loopback: no SDK may probe a cloud metadata address.
export AWS_EC2_METADATA_DISABLED := true

.PHONY: all release debug test test-unit test-s3 venv-s3 test-cloud azurite test-sql test-sql-python test-sql-cli test-validate test-examples test-docs docs \
        demo install bench clean venv fmt lint

all: release

release: $(EXT)

$(EXT): FORCE
	cargo build --release
	@mkdir -p $(dir $@)
	$(PYTHON) tools/append_footer.py target/release/lib$(EXT_NAME).so $(@:.duckdb_extension=.tmp.duckdb_extension) \
		--extension-version $(EXT_VERSION) --capi-version $(CAPI_VERSION) --platform $(PLATFORM)
	@# Replace by rename: a process that has the old file loaded keeps its mapping intact.
	mv -f $(@:.duckdb_extension=.tmp.duckdb_extension) $@

debug:
	cargo build
	@mkdir -p build/debug
	$(PYTHON) tools/append_footer.py target/debug/lib$(EXT_NAME).so build/debug/$(EXT_NAME).duckdb_extension \
		--extension-version $(EXT_VERSION) --capi-version $(CAPI_VERSION) --platform $(PLATFORM)

FORCE:

venv: $(VENV_STAMP)
$(VENV_STAMP):
	$(PYTHON) -m venv $(VENV)
	PIP_FIND_LINKS= $(VPY) -m pip install --quiet $(DUCKDB_PY_PIN) $(DUCKDB_CLI_PIN) $(DBT_PINS)
	@touch $@

venv-s3: $(S3_VENV_STAMP)
$(S3_VENV_STAMP):
	$(PYTHON) -m venv $(S3_VENV)
	PIP_FIND_LINKS= $(S3_VPY) -m pip install --quiet "$(MOTO_PIN)" $(DUCKDB_PY_PIN) $(AZURE_BLOB_PIN)
	@touch $@

# Exact version, no lifecycle scripts (Azurite needs none); the folder is replaced whole when
# the pin changes.
azurite: $(AZURITE_STAMP)
$(AZURITE_STAMP):
	rm -rf $(AZURITE_DIR)
	mkdir -p $(AZURITE_DIR)
	npm install --prefix $(AZURITE_DIR) --save-exact --ignore-scripts --no-audit --no-fund \
		--loglevel=error azurite@$(AZURITE_PIN)
	@touch $@

include mk/validator.mk

# --- tests --------------------------------------------------------------------------------------
SLT         := $(VPY) test/run_slt.py --ext $(EXT_NAME)=$(EXT)
SLT_DIRS    := test/sql
# Test-only functions (forced panics) are registered only when this is set at LOAD time.
TEST_ENV    := FOCUS_ENABLE_TEST_HOOKS=1 FOCUS_SAMPLES=$(abspath ../shared/samples)

test: test-unit test-sql test-s3 test-cloud test-docs test-validate test-examples

test-unit:
	cargo test --release --lib

test-sql: test-sql-python test-sql-cli

# Every reader on s3:// against moto_server on 127.0.0.1, compared with local reads; fault tests.
test-s3: $(EXT) venv-s3
	$(S3_VPY) test/s3/test_s3.py --ext $(abspath $(EXT)) --samples $(abspath ../shared/samples)

# az:// and abfss:// against Azurite (emulator settings, and explicit account key + endpoint),
# gs:// against moto_server speaking GCS's S3-interoperable XML API; local-vs-remote parity and
# fault tests, each configuration in its own child process. Loopback only.
test-cloud: $(EXT) venv-s3 azurite
	$(S3_VPY) test/cloud/test_cloud.py --ext $(abspath $(EXT)) --samples $(abspath ../shared/samples) \
		--azurite $(abspath $(AZURITE_DIR))/node_modules/.bin/azurite-blob

test-sql-python: $(EXT) venv
	$(TEST_ENV) $(SLT) --backend python $(SLT_DIRS)

test-sql-cli: $(EXT) venv
	$(TEST_ENV) $(SLT) --backend cli --cli $(VCLI) $(SLT_DIRS)

test-validate: $(EXT) venv validator-venv validator-selftest
	$(TEST_ENV) $(VPY) test/validate/validate_outputs.py --ext $(EXT) --validate "$(FOCUS_VALIDATE)"

# docs/mapping/*.md are generated from the compiled rules; the test fails when they are stale.
docs: $(EXT) venv
	$(VPY) tools/gen_docs.py --ext $(EXT)

test-docs: $(EXT) venv
	$(VPY) tools/gen_docs.py --ext $(EXT) --check

# The examples in the README run for real: Python and a dbt-duckdb project.
test-examples: $(EXT) venv
	FOCUS_EXT=$(abspath $(EXT)) $(VPY) examples/python_example.py
	cd examples/dbt && rm -rf target && FOCUS_EXT=$(abspath $(EXT)) FOCUS_DBT_DB=target/focus_example.duckdb \
		$(abspath $(VENV))/bin/dbt build --profiles-dir . --no-use-colors

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
	$(VPY) bench/run_bench.py --ext $(EXT) $(BENCH_ARGS)

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --release --all-targets -- -D warnings

clean:
	cargo clean
	rm -rf build $(AZURITE_DIR) $(VENV) $(VALIDATOR_VENV) $(S3_VENV)
