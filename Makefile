# Two entry points: `make run` serves the bundled content/, `make test` runs the suite.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test scan clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
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
