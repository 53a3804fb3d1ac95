# The two commands of the README: `make demo` and `make test`. Both create .venv and install
# what they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint broker-start broker-stop

$(VENV)/.runtime: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

demo: $(VENV)/.runtime  ## enrich the bundled sample articles offline (no broker)
	$(BIN)/newsenrich enrich streams/data/sample_articles.jsonl

test: $(VENV)/.dev  ## all tests; starts a local Kafka broker unless KAFKA_BOOTSTRAP_SERVERS is set
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check streams tests
	$(BIN)/mypy

broker-start:
	scripts/kafka/broker.sh start

broker-stop:
	scripts/kafka/broker.sh stop
