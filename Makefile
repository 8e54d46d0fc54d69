# Briefings. `make html` builds the site, `make test` runs the tests; both set up
# .venv (pinned requirements.txt) and node_modules (package-lock.json) first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONTENT ?= content
OUTPUT ?= output
MARKDOWN ?= build/markdown
CACHE ?= build/cache
PORT ?= 8000
SETTINGS := pelican.conf.py
BRIEFINGS := $(BIN)/briefings --settings $(SETTINGS)
BUILD_FLAGS := --content $(CONTENT) --output $(OUTPUT) --set BRIEFINGS_MARKDOWN_DIR=$(MARKDOWN) \
	--set BRIEFINGS_CACHE_DIR=$(CACHE) $(if $(FRESH),--fresh) \
	$(if $(STRICT),--strict) $(if $(KEEP_GOING),--keep-going)

SITEURL ?=
ZIP ?= briefings-site.zip

.PHONY: html test format serve devserver clean setup publish github zip bench links-eval annotate-time

setup: $(VENV)/.installed node_modules/.installed

# The pinned set, then the plugin itself, editable (pyproject.toml): Pelican finds
# it as the namespace plugin pelican.plugins.briefings, and `briefings` is on PATH.
$(VENV)/.installed: requirements.txt pyproject.toml setup.py node_modules/.installed
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -c "$$LINK_PLUGIN"
	touch $@

# pkgutil cannot list setuptools' editable namespace packages, so Pelican would not
# find the plugin by its short name (PLUGINS = ["briefings"]) as it finds an
# installed one: a link in pelican/plugins/ to the source makes it a plain folder.
define LINK_PLUGIN
import pathlib, pelican
link = pathlib.Path(pelican.__file__).parent / "plugins" / "briefings"
if link.is_symlink() or not link.exists():
    link.unlink(missing_ok=True)
    link.symlink_to(pathlib.Path("plugins/pelican/plugins/briefings").resolve(), target_is_directory=True)
endef
export LINK_PLUGIN

# lunr.js for the search page, exactly as package-lock.json pins it; the package
# build (setup.py) copies it into the plugin.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

html: setup
	$(BRIEFINGS) $(BUILD_FLAGS)

# ruff first (lint and format, settings in pyproject.toml), then the suite.
test: setup
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# ruff's fixes and formatting, as `make test` checks them.
format: setup
	$(BIN)/ruff check --fix --quiet .
	$(BIN)/ruff format --quiet .

serve: html
	$(BIN)/briefings serve --output $(OUTPUT) --port $(PORT)

# Rebuilds on every change to content/, theme/ or plugins/ and serves on 127.0.0.1.
devserver: setup
	$(BIN)/pelican $(CONTENT) -o $(OUTPUT) -s $(SETTINGS) -e BRIEFINGS_MARKDOWN_DIR='"$(MARKDOWN)"' -lr -b 127.0.0.1 -p $(PORT)

# The published site: absolute SITEURL for feeds, sitemap, canonical links, JSON-LD
# and email recaps. Links stay relative, so it also works under a sub-path.
publish: setup
	@test -n "$(SITEURL)" || { echo "make publish: give the site's address, e.g. make publish SITEURL=https://user.github.io/repo" >&2; exit 2; }
	$(BRIEFINGS) $(BUILD_FLAGS) --set SITEURL=$(SITEURL) --set FEED_DOMAIN=$(SITEURL)

# Commits output/ to the gh-pages branch (with .nojekyll) and pushes it.
github: publish
	$(BIN)/ghp-import --no-jekyll --push --force --message "Publish site" $(OUTPUT)

# The offline site in one file: unzip anywhere and open index.html.
zip: html
	rm -f $(ZIP)
	cd $(OUTPUT) && $(abspath $(BIN))/python -m zipfile -c $(abspath $(ZIP)) .

clean:
	rm -rf $(OUTPUT) build cache .pytest_cache $(ZIP)

# Benchmark (README, "Benchmarks"): our build against plain Pelican on generated
# corpora. Its own venv, so python-markdown never enters the project's.
# `make bench SIZES=1000,10000,50000` adds the largest; PROFILE=1 profiles it.
SIZES ?= 1000,10000
BENCH_VENV := .venv-bench
BENCH_ARGS ?=

$(BENCH_VENV)/.installed: requirements.txt bench/requirements.txt pyproject.toml setup.py node_modules/.installed
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r bench/requirements.txt
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BENCH_VENV)/bin/python -c "$$LINK_PLUGIN"
	touch $@

# Then our search against Pagefind in Chromium at 10,000 entries (bench/search_index.py).
bench: setup $(BENCH_VENV)/.installed
	PYTHONPATH=. $(BENCH_VENV)/bin/python -m bench.run --sizes $(SIZES) $(if $(PROFILE),--profile) $(BENCH_ARGS)
	$(BIN)/python bench/search_index.py $(SEARCH_BENCH_ARGS)

# The cross-links against a news editor's judgements (docs/briefing.md): hit@3,
# false links and precision, with the gazetteer and with an empty one.
# The editor's shared judgements, then our own held-out dev set (bench/judged-dev.json);
# JUDGED=file(s) to use others; LINKS_EVAL_ARGS=--candidates compares methods.
JUDGED ?= ../shared/judged-links.json bench/judged-dev.json
links-eval: setup
	PYTHONPATH=. $(BIN)/python -m bench.links_eval --judged $(JUDGED) $(LINKS_EVAL_ARGS)

# The annotate stage (entities, cross-links, recaps, threads) on a generated archive,
# this tree against BASELINE (the commit before the links by meaning), in one run.
BASELINE ?= fa51ab8
ENTRIES ?= 10000
annotate-time: setup
	PYTHONPATH=. $(BIN)/python -m bench.annotate_time --entries $(ENTRIES) --baseline $(BASELINE)
