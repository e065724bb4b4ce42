# gostream: build, install, run Jupyter with the kernel, test, benchmark.
#
#   make run     set up and start Jupyter Notebook with the gostream kernel and notebooks/
#   make test    set up and run every test (go vet, gofmt, go test -race, end-to-end,
#                the tutorial notebooks, the Docker image's install steps)
#
# Python is always Debian's /usr/bin/python3: its dist-packages hold the
# Jupyter stack installed by `make deps`.

PY       ?= /usr/bin/python3
GO       ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
BIN      := bin/gostream
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
PORT     ?= 8888
NOTEBOOKS ?= notebooks

# Debian packages giving /usr/bin/python3 a real Jupyter client stack.
DEB_PACKAGES := python3-jupyter-client python3-nbclient python3-nbformat python3-ipykernel \
                python3-pytest jupyter-notebook jupyter-nbconvert jupyter-client
# Headless Chromium driven by Selenium for the browser test (tests/test_browser.py).
DEB_PACKAGES += chromium chromium-driver python3-selenium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# ipykernel's debugger prints a warning on every start without this.
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all build install run deps test vet fmt-check go-test e2e notebooks docker-verify bench bench-vet bench-go bench-kernel clean

all: build

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) .

# Install the kernelspec for the current user (honours JUPYTER_DATA_DIR).
install: build
	./$(BIN) install --user

run: deps install
	mkdir -p $(NOTEBOOKS)
	$(PY) -m notebook --notebook-dir=$(NOTEBOOKS) --ip=127.0.0.1 --port=$(PORT) --no-browser --allow-root

# Install the Debian packages that are missing; apt-get update only then.
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q '^install ok installed$$' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; exit 0; fi; \
	echo "deps: installing$$missing"; \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q; \
	for p in $$missing; do \
	  if ! apt-cache policy $$p | grep -q 'Candidate: [0-9]'; then \
	    echo "deps: Debian package $$p is not available from the configured apt sources" >&2; exit 1; \
	  fi; \
	done; \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing

test: deps vet fmt-check go-test e2e docker-verify bench-vet

vet:
	$(GO) vet ./...

fmt-check:
	@bad=$$(find . -name '*.go' -not -path './.git/*' -not -path '*/testdata/*' -exec gofmt -l {} +); \
	if [ -n "$$bad" ]; then echo "gofmt needed on:"; echo "$$bad"; exit 1; fi; \
	echo "gofmt: clean"

go-test:
	$(GO) test -race -count=1 ./...

e2e: build
	GOSTREAM_BIN=$(CURDIR)/$(BIN) $(PY) -m pytest tests -q -p no:cacheprovider

# Only the tutorial notebooks (also part of e2e), each run with nbclient.
notebooks: build
	GOSTREAM_BIN=$(CURDIR)/$(BIN) $(PY) -m pytest tests/test_notebooks.py -q -p no:cacheprovider

# The Docker image's build and install steps, run outside Docker.
docker-verify:
	PY=$(PY) docker/verify.sh

# Side-by-side benchmarks (BENCHMARKS.md): Nexmark, the tutorial workload,
# micro-batch latency, aggregation against DuckDB and the kernel against
# ipykernel, on one core and on all cores, printed as one Markdown report.
# bench/ is a module of its own (DuckDB's side, bench/duckdb, one more);
# -mod=mod lets it pick up dependencies the main module adds.
BENCH_ARGS ?= all
bench:
	cd bench && GOFLAGS=-mod=mod $(GO) run . $(BENCH_ARGS)

# CI compiles and vets the bench command (not its DuckDB program, which
# needs cgo and a large prebuilt library).
bench-vet:
	cd bench && GOFLAGS=-mod=mod $(GO) vet ./...

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime=1s ./...

# gostream against ipykernel through the same jupyter_client (see BENCHMARKS.md).
bench-kernel: build
	GOSTREAM_BIN=$(CURDIR)/$(BIN) $(PY) tests/bench_kernel.py

clean:
	rm -rf bin
