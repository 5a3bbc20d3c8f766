# Maatwerktafel: `make run` sets everything up and serves the app; `make test` sets
# everything up and runs every test. Both work on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# One worker per core: a worker runs Python one thread at a time (see README, Serving).
WORKERS ?= 2
CHROMIUM ?= /usr/bin/chromium

.PHONY: install install-python install-node install-pdf-libs install-browser install-graphviz db demo run test test-fast lint format bench eval eval-rules clean

install: install-python install-node install-pdf-libs

install-python: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@# deduce builds its lookup cache on first use (about 90 s): once here, not in a request.
	$(BIN)/python -c "import deduce; deduce.Deduce()"
	touch $@

install-node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The PDF report (WeasyPrint) needs Pango; install the Debian packages when missing.
install-pdf-libs:
	@if ! ldconfig -p | grep -q libpangoft2-1.0.so.0; then \
	  echo "installing pango (Debian packages) for the PDF report"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	fi

# Browser tests drive Debian's chromium; install it when it is missing.
install-browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "installing chromium (Debian package) for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

# The benchmark compares the genogram layout with Graphviz dot; install it when missing.
install-graphviz:
	@if ! command -v dot >/dev/null 2>&1; then \
	  echo "installing graphviz (Debian package) for the benchmark"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq graphviz >/dev/null; \
	fi

db: install
	$(FLASK) db init

demo: db
	$(FLASK) demo load

# Plain HTTP on the loopback address, so the session cookie may not demand HTTPS here;
# behind HTTPS in production it does (see README, configuration).
# The demo data is loaded once; later runs keep what was changed in the app and start in a
# second or two (`make demo` refreshes it).
run: install
	$(FLASK) demo ensure
	@echo "Maatwerktafel on http://$(HOST):$(PORT)  (demo users above; Ctrl-C stops)"
	MAATWERKTAFEL_INSECURE_COOKIES=1 $(BIN)/gunicorn --workers $(WORKERS) --threads 8 \
	  --bind $(HOST):$(PORT) --access-logfile - 'app:create_app()'

# Tests run on every core (pytest-xdist); the browser tests share one worker (tests/conftest.py).
test: install install-browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(FLASK) rules check
	$(BIN)/pytest -n auto

test-fast: install
	$(BIN)/pytest -n auto -m "not browser"

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install install-graphviz install-browser
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Quality of the similar-case finder on ../shared/eval/ (hit@3, MRR@10, beside a baseline).
eval: install
	$(BIN)/python bench/eval_finder.py

# Signals and finder against the expert cases (tests/data/expert/, ../shared/eval/expert/):
# recall, every miss and false alarm; a measurement, it always exits 0.
eval-rules: install-python
	$(BIN)/python bench/eval_rules.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
