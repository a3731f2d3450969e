# Two entry points: `make run` serves the bundled content/, `make test` runs the suite.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# A .venv made by another Python (an earlier try with PYTHON=..., or a Python since removed)
# is rebuilt from scratch: installing into it would fail, or run the wrong interpreter.
VERSION := import sys; print(sys.version)
VENV_VERSION := $(shell $(BIN)/python -c '$(VERSION)' 2>/dev/null)
WANTED_VERSION := $(shell $(PYTHON) -c '$(VERSION)' 2>/dev/null)
ifneq ($(VENV_VERSION),$(WANTED_VERSION))
.PHONY: $(STAMP)
VENV_OPTIONS := --clear
endif

.PHONY: run test scan clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV_OPTIONS) $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/feedsvc serve

scan: $(STAMP)
	$(BIN)/feedsvc scan

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) instance build *.egg-info
