# The two commands of the README, and the contributor's `make outputs`.
#   make site     set up .venv, check the data, build the site into _build/html
#   make test     the same set-up, then pytest: helper tests, strict nbval over every chapter,
#                 a warning-free site build and the site checks (links, real browser)
#   make outputs  re-execute chapters in place to refresh their committed outputs
#                 (all of them, or one: make outputs NB=chapters/setup.ipynb)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NB     ?= $(shell $(PYTHON) -c "import re;print(' '.join(f'{m}.ipynb' for m in re.findall(r'file:\s*(chapters/\S+)', open('_toc.yml').read())))")

.PHONY: site test outputs data clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -c "import matplotlib.pyplot"  # build matplotlib's font cache once, not inside a chapter
	touch $(STAMP)

data: $(STAMP)
	$(PY) -m book

site: data
	$(VENV)/bin/jupyter-book build .
	@echo "The site is in _build/html: open $(CURDIR)/_build/html/index.html"

test: data
	$(PY) -m pytest

outputs: data
	$(VENV)/bin/jupyter execute --inplace $(NB)

clean:
	rm -rf _build
