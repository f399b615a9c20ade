# Process Designer — `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export LANGGRAPH_CLI_NO_ANALYTICS := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install run test lint bench eval clean proto

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU build of torch, pinned: an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/process-designer serve

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check process_designer tests bench evals
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

eval: $(STAMP)
	$(BIN)/process-designer eval --report out/eval

proto: $(STAMP)
	$(BIN)/python -m process_designer.server.protogen

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
