# gostream: build, install, run Jupyter with the kernel, test, benchmark.
#
#   make run     set up and start Jupyter Notebook with the gostream kernel and notebooks/
#   make test    set up and run every test (go vet, gofmt, go test -race, end-to-end)
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
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# ipykernel's debugger prints a warning on every start without this.
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all build install run deps test vet fmt-check go-test e2e bench bench-go bench-kernel clean

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

test: deps vet fmt-check go-test e2e

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

bench: bench-go bench-kernel

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime=1s ./...

# gostream against ipykernel through the same jupyter_client (see BENCHMARKS.md).
bench-kernel: build
	GOSTREAM_BIN=$(CURDIR)/$(BIN) $(PY) tests/bench_kernel.py

clean:
	rm -rf bin
