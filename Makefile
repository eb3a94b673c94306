# The two commands a newcomer runs: `make demo` and `make test`.
# Each installs what is missing first (Debian packages, .venv, pinned Python packages).

PY        ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
APT_PKGS  := tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng poppler-utils fonts-dejavu-core libharfbuzz-subset0 chromium
STAMP     := $(VENV)/.installed
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all setup system-packages demo test bench serve lint clean

all: test

system-packages:
	@missing=""; \
	for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml constraints.txt
	$(MAKE) system-packages
	[ -x $(BIN)/python ] || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: system-packages $(STAMP)

demo: setup
	$(BIN)/python -m izinflow.demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: setup
	$(BIN)/python -m izinflow.bench

serve: setup
	$(BIN)/python -m izinflow.serve

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf var out test-artifacts .pytest_cache
