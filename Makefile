# The two commands a new user types: `make demo` and `make test`.
# Everything else is CMake (see CMakePresets.json); this file only installs
# what is missing, builds, and runs.

BUILD_DEPS = cmake make gcc pkg-config libigraph-dev libcjson-dev \
	libgraphviz-dev libsqlite3-dev libutf8proc-dev
TEST_DEPS = clang libclang-rt-14-dev graphviz libxml2-utils sqlite3 \
	python3 python3-networkx chromium time
# npm comes with some Node.js builds; a plain Debian needs its nodejs and npm
TEST_DEPS += $(if $(shell command -v npm 2>/dev/null),,nodejs npm)
XREF = build/dev/xref
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build demo test test-dev test-asan bench deps-build deps-test clean

all: build

deps-build:
	@sh tools/deps.sh $(BUILD_DEPS)

deps-test:
	@sh tools/deps.sh $(BUILD_DEPS) $(TEST_DEPS)
	@sh tests/npm-install.sh

build: deps-build
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

demo: build
	$(XREF) build samples/ -o out/ -w samples/watchlist.tsv
	@echo
	@echo "The map:  out/graph.html  (open it in a browser; works offline)"
	@echo "The data: out/xref.db (SQLite case file), out/graph.json (node-link JSON),"
	@echo "          out/graph.svg, out/graph.dot, out/graph.graphml, out/graph.gexf, out/csv/"
	@echo "Try:      $(XREF) centrality --case out/xref.db --top 10"

test: deps-test
	@$(MAKE) --no-print-directory test-dev
	@$(MAKE) --no-print-directory test-asan

test-dev:
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)
	@ctest --preset dev -j $(JOBS)

test-asan:
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

# Benchmarks print figures; they are not tests and never fail on speed.
bench: deps-test
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@sh tests/bench/run build/release

clean:
	rm -rf build out
