# The two commands of the README, and the contributor's `make outputs`.
#   make site     set up .venv and tools/node (npm), check the data, build the site into
#                 _build/html (and its PDF), with the Chinese edition in _build/html/zh (and its PDF)
#   make test     the same set-up, then pytest on every core (up to 4; WORKERS=1 for one): helper
#                 tests, strict nbval over every chapter, a warning-free site build and the site
#                 checks (links, real browser)
#   make lab      open the reader notebooks (notebooks/, the Chinese ones in notebooks/zh/) in JupyterLab,
#                 from a reader's environment (.venv-lab, requirements-lab.txt: Python only, no
#                 Node.js, CPU torch on Linux without an NVIDIA GPU)
#   make slides   the lecture slides (reveal.js, tools/slides.py) of both editions into
#                 _build/html/slides and _build/html/zh/slides, with a PDF handout of each deck
#                 (make site does it too)
#   make notebooks  rewrite notebooks/ and notebooks/zh/, the reader's version of each chapter in English
#                 and in Chinese (make site does it too)
#   make outputs  re-execute chapters in place to refresh their committed outputs
#                 (all of them, or one: make outputs NB=chapters/setup.ipynb)
#   make check NB=chapters/setup.ipynb
#                 a contributor's quick check of a changed chapter: re-executed and compared (nbval),
#                 both editions built (only what changed) with warnings as errors, the catalogs
#                 complete, the reader notebooks current; make test runs everything before a push
#   make test-code-paths
#                 the chapters again under the other CPU code paths of this machine (not the one
#                 torch picks here, which make test ran), as readers' CPUs compute them
#                 (CAPS=default avx2 avx512 to choose; NB=... for one chapter)
#   make translations  after an English change: refresh the Chinese catalogs (locales/zh_CN) and
#                 list the entries a translator must update (tools/translations.py)
#   make assignments  per lecture, student notebooks without solutions and an otter-grader
#                 autograder, into _build/assignments (tools/assignments.py)
#   make grade SUBMISSIONS=dir  grade a folder of submitted notebooks into _build/grades.csv,
#                 locally, without Docker (tools/grade.py; TIMEOUT=seconds per notebook)
#   make mutation  how many injected bugs the helper tests catch (mutmut; benchmarks/mutation.py).
#                 Slow (half an hour or more), so not part of make test

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The site build's Node.js tools, pinned by their lock: MathJax, which typesets the formulas
# (_ext/math_prerender.py), and PurgeCSS, which cuts the theme's stylesheets (_ext/theme_assets.py)
NODE_TOOLS := tools/node/node_modules/.installed
# pytest-xdist workers: one per core, at most 4 (each chapter's kernel holds about 1 GB).
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && echo 4 || echo $$n)
NB     ?= $(shell $(PY) tools/toc.py --chapters)

.PHONY: site slides test check test-code-paths outputs data notebooks lab translations assignments grade mutation clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-compile -r requirements.txt
	# Bytecode once, on every core (pip compiles on one): with PYTHONDONTWRITEBYTECODE set, as on
	# some machines, nothing else would write it and every process would compile torch again. A
	# file that is not Python 3 (a package's template or test data) fails to compile, as under pip.
	$(PY) -m compileall -qq -j 0 $(VENV)/lib || true
	$(PY) -c "import matplotlib.pyplot"  # build matplotlib's font cache once, not inside a chapter
	touch $(STAMP)

$(NODE_TOOLS): tools/node/package-lock.json
	@command -v npm >/dev/null || { echo "The site build runs Node.js (formulas typeset with MathJax, stylesheets cut with PurgeCSS): install Node.js 20 and npm (sudo apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix tools/node --silent --no-audit --no-fund
	touch $(NODE_TOOLS)

data: $(STAMP) $(NODE_TOOLS)
	$(PY) -m book

notebooks: $(STAMP)
	$(PY) tools/reader_notebooks.py

site: data notebooks
	$(VENV)/bin/jupyter-book build .
	$(PY) tools/translations.py build
	$(PY) tools/slides.py --handouts
	$(PY) tools/course_pdf.py
	$(PY) tools/course_pdf.py _build/html/zh
	@echo "The site is in _build/html: open $(CURDIR)/_build/html/index.html (中文版: _build/html/zh/index.html)"

slides: data
	$(PY) tools/slides.py --handouts

# --dist loadfile: the cells of one chapter run in order in one worker's kernel.
test: data
	$(PY) -m pytest -n $(WORKERS) --dist loadfile

# One chapter (or NB="a b", or all when NB is not given) and the pages made from it, in a minute or
# two: no browser, PDF or slide checks (make test has them). The editions are built as make site
# builds them (incrementally), with warnings as errors.
check: data
	$(PY) -m pytest -p no:cacheprovider -n $(WORKERS) --dist loadfile $(NB)
	$(VENV)/bin/jupyter-book build . -n -W --keep-going
	$(PY) tools/translations.py build -n -W --keep-going
	$(PY) tools/translations.py status
	$(PY) tools/reader_notebooks.py --check

# torch's kernels (ATEN_CPU_CAPABILITY) and MKL (MKL_ENABLE_INSTRUCTIONS) limited to one instruction
# set: default (no AVX, a stand-in for arm64 and older CPUs), avx2, and avx512 where the CPU has it.
# The path torch picks on this CPU by itself is left out: `make test` has just run the chapters on it.
NATIVE_CAP = $(shell $(PY) -c "import torch; print(torch.backends.cpu.get_cpu_capability().lower())" 2>/dev/null)
CAPS ?= $(filter-out $(NATIVE_CAP),default avx2 $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo avx512))

test-code-paths: data
	@set -e; for cap in $(CAPS); do \
	  case $$cap in default) mkl=SSE4_2;; avx2) mkl=AVX2;; avx512) mkl=AVX512;; \
	    *) echo "CAPS takes default, avx2 and avx512, not '$$cap'"; exit 2;; esac; \
	  echo "== chapters with ATEN_CPU_CAPABILITY=$$cap MKL_ENABLE_INSTRUCTIONS=$$mkl =="; \
	  ATEN_CPU_CAPABILITY=$$cap MKL_ENABLE_INSTRUCTIONS=$$mkl $(PY) -m pytest -p no:cacheprovider \
	    -n $(WORKERS) --dist loadfile $(NB); \
	done

# No execution timestamps and one output per printed stream, so that re-running a chapter changes
# only what its code now prints.
outputs: data
	$(PY) tools/chapter_outputs.py $(NB)
	$(PY) tools/reader_notebooks.py

# The reader's environment: what the notebooks import, nothing of the site build (no Node.js).
# On Linux without an NVIDIA GPU, pip also looks at PyTorch's CPU index: its `2.14.1+cpu` wheels
# satisfy the `==2.14.1` pins and win over PyPI's CUDA build (a local version sorts after its
# release), a fraction of the size. LAB_TORCH_INDEX= (empty) to keep PyPI's build.
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed
LAB_TORCH_INDEX ?= $(shell [ "$$(uname -s)" = Linux ] && ! command -v nvidia-smi >/dev/null 2>&1 && echo --extra-index-url https://download.pytorch.org/whl/cpu)

$(LAB_STAMP): requirements-lab.txt pyproject.toml
	test -x $(LAB_VENV)/bin/python || $(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LAB_VENV)/bin/python -m pip install --quiet --no-compile $(LAB_TORCH_INDEX) -r requirements-lab.txt
	$(LAB_VENV)/bin/python -m compileall -qq -j 0 $(LAB_VENV)/lib || true
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	$(LAB_VENV)/bin/python -m book
	$(LAB_VENV)/bin/jupyter lab notebooks

# The Chinese edition's catalogs, after an English change: new and changed paragraphs appear as
# untranslated or fuzzy entries, listed with their file; `make test` fails until they are done.
translations: $(STAMP)
	$(PY) tools/translations.py update

# Teachers: the assignments of every lecture (otter assign), then the grades of a folder of
# submissions (otter run on each notebook, in parallel, each with a time limit) as one CSV.
assignments: data
	$(PY) tools/assignments.py

TIMEOUT ?= 900
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "make grade needs the folder of submitted notebooks: make grade SUBMISSIONS=path/to/folder"; exit 2; }
	$(PY) tools/grade.py "$(SUBMISSIONS)" --timeout $(TIMEOUT)

# mutmut is a maintainer's tool, installed here rather than for every reader.
mutation: data
	$(PY) -m pip install --quiet 'mutmut>=3.8,<4'
	$(PY) benchmarks/mutation.py $(ARGS)

clean:
	rm -rf _build
