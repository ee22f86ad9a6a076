# mk/validator.mk: local venv with the official FOCUS validator (focus-validator on PyPI).
#
# Included by the main Makefile. Provides:
#   make validator-venv       create .venv-validator/ once (stamp file) with the pinned packages
#   make validator-selftest   harness self-check on the shared fixtures (valid -> 0, broken -> 1)
#   make validator-clean      remove .venv-validator/
#   $(VALIDATOR_PY)           the venv's python
#   $(VALIDATOR_BIN)          the venv's focus-validator executable
#   $(FOCUS_VALIDATE)         harness command, use as: $(FOCUS_VALIDATE) out.parquet [--criteria ...]
#
# Pins (shared/research/focus-spec.md section 5.1):
# - focus-validator 2.2.1 needs Python 3.12; on 3.11 pip silently resolves the old 1.0.0, so no
#   other interpreter is ever used as a fallback.
# - 2.2.1 pins numpy<2 but not pyarrow, and pyarrow 26 refuses numpy 1.x at import time.
# - The whole resolved set (pip freeze of a verified install) is pinned so CI gets the same.
# Packages come from PyPI only: the machine-wide PIP_FIND_LINKS is cleared for the install.

VALIDATOR_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
# Do not let the targets below become the includer's default goal (restored at the end).
VALIDATOR_SAVED_GOAL := $(.DEFAULT_GOAL)

VALIDATOR_VENV  ?= $(VALIDATOR_ROOT)/.venv-validator
VALIDATOR_PY    := $(VALIDATOR_VENV)/bin/python
VALIDATOR_BIN   := $(VALIDATOR_VENV)/bin/focus-validator
VALIDATOR_STAMP := $(VALIDATOR_VENV)/.stamp-focus-validator-2.2.1
FOCUS_VALIDATE  := $(VALIDATOR_PY) $(VALIDATOR_ROOT)/test/validate/focus_validate.py --validator $(VALIDATOR_BIN)

# Fixtures for validator-selftest (shared/ sits beside the repo, also in CI).
VALIDATOR_FIXTURES ?= $(VALIDATOR_ROOT)/../shared/samples/focus-validator-fixtures

# Python 3.12 to build the venv from; empty means: `python3.12` if it really is 3.12 (the pyenv
# shim fails unless 3.12 is an active pyenv version), else the newest $PYENV_ROOT/versions/3.12.*.
PYTHON312 ?=

VALIDATOR_PINS := \
	focus-validator==2.2.1 \
	pyarrow==25.0.1 \
	numpy==1.26.4 \
	duckdb==1.5.6 \
	polars==1.44.2 \
	polars-runtime-32==1.44.2 \
	pandas==2.3.3 \
	sqlglot==27.29.0 \
	annotated-types==0.8.0 \
	attrs==26.1.0 \
	certifi==2026.10.19.post1 \
	charset-normalizer==3.5.3 \
	ddt==1.7.2 \
	graphviz==0.21 \
	idna==3.20 \
	jsonschema==4.26.0 \
	jsonschema-specifications==2025.9.1 \
	multimethod==2.0.2 \
	mypy_extensions==1.2.0 \
	packaging==26.4 \
	pandasql==0.7.3 \
	pandera==0.26.1 \
	pydantic==2.14.4 \
	pydantic_core==2.50.5 \
	python-dateutil==4.0.0 \
	pytz==2025.2 \
	PyYAML==6.0.4 \
	referencing==0.37.0 \
	requests==2.34.2 \
	rpds-py==2026.9.1 \
	SQLAlchemy==2.1.9 \
	tabulate==0.10.0 \
	typeguard==4.6.1 \
	typing-inspect==0.9.0 \
	typing-inspection==0.4.5 \
	typing_extensions==4.16.0 \
	tzdata==2026.6 \
	urllib3==2.8.0

.PHONY: validator-venv validator-selftest validator-clean

validator-venv: $(VALIDATOR_STAMP)

$(VALIDATOR_STAMP): $(lastword $(MAKEFILE_LIST))
	@is312() { "$$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; }; \
	py="$(PYTHON312)"; \
	if [ -z "$$py" ]; then \
	  if is312 python3.12; then py=$$(command -v python3.12); \
	  else py=$$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.12.*/bin/python3.12 2>/dev/null | sort -V | tail -n 1); fi; \
	fi; \
	if [ -z "$$py" ] || ! is312 "$$py"; then \
	  echo "validator.mk: Python 3.12 not found (tried PYTHON312='$(PYTHON312)', python3.12, pyenv versions/3.12.*)." >&2; \
	  echo "  focus-validator 2.2.1 needs Python 3.12; on 3.11 pip silently installs 1.0.0, so there is no fallback." >&2; \
	  echo "  Install it (e.g. 'pyenv install 3.12') or pass PYTHON312=/path/to/python3.12." >&2; \
	  exit 1; \
	fi; \
	echo "validator.mk: creating $(VALIDATOR_VENV) with $$py"; \
	rm -rf "$(VALIDATOR_VENV)" && \
	"$$py" -m venv "$(VALIDATOR_VENV)" && \
	PIP_FIND_LINKS= "$(VALIDATOR_PY)" -m pip install --quiet --no-cache-dir --disable-pip-version-check $(VALIDATOR_PINS) && \
	"$(VALIDATOR_PY)" -c 'import importlib.metadata as m, pyarrow, numpy; v = m.version("focus-validator"); assert v == "2.2.1", v; print("validator.mk: focus-validator", v, "pyarrow", pyarrow.__version__, "numpy", numpy.__version__)' && \
	touch "$@"

validator-clean:
	rm -rf "$(VALIDATOR_VENV)"

validator-selftest: $(VALIDATOR_STAMP)
	$(FOCUS_VALIDATE) "$(VALIDATOR_FIXTURES)/valid_focus12_typed.parquet"
	@$(FOCUS_VALIDATE) "$(VALIDATOR_FIXTURES)/broken_focus12.csv"; rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "validator-selftest: broken fixture rejected as expected (exit 1)"; \
	else echo "validator-selftest: broken fixture gave exit $$rc, expected 1" >&2; exit 1; fi

.DEFAULT_GOAL := $(VALIDATOR_SAVED_GOAL)
