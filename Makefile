# The two set-up commands of the README:
#   make run    install what is missing (apt), build, start avvp-studio on the demo project
#   make test   install what is missing (apt), build, run every test with ctest
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
LLP_DIR ?= $(firstword $(wildcard ../shared/llp) $(CURDIR)/resources/llp)

.PHONY: all deps configure build run test bench bench-load bench-media bench-long headless fuzz format format-check tidy clean

all: build

deps:
	@bash tools/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS); fi

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The demo project (LLP annotations + SYNTHETIC videos) is built on first use and cached in
# $$XDG_DATA_HOME/avvp-studio/demo; later starts open it at once, with its edits.
run: build
	$(BUILD_DIR)/bin/avvp-studio --demo --llp "$(LLP_DIR)"

test: build
	@cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

bench: build
	$(BUILD_DIR)/bin/avvp_bench_eval --llp "$(LLP_DIR)"
	$(BUILD_DIR)/bin/avvp_bench_store --llp "$(LLP_DIR)"
	$(BUILD_DIR)/bin/avvp_bench_gui --llp "$(LLP_DIR)"

# Team store under load: 10 annotator processes x 1000 edits on a local PostgreSQL server
# and on one SQLite file, nothing lost, edit p50 / p99 (under a minute).
bench-load: build
	$(BUILD_DIR)/bin/avvp_bench_store_load

# Media engine: decode, seek, real-time playback, feature extraction (a few minutes).
bench-media: build
	$(BUILD_DIR)/bin/avvp_bench_media

# Videos of any length end to end (render, stand-in encoders, windowed runs, scores).
bench-long: build
	AVVP=$(BUILD_DIR)/bin/avvp tests/bench/bench_long_videos.sh

# The GPU-server build: core + models + CLI, no Qt.
headless: deps
	cmake -S . -B build-headless -G Ninja -DCMAKE_BUILD_TYPE=Release -DAVVP_HEADLESS=ON $(CMAKE_FLAGS)
	cmake --build build-headless -j $(JOBS)

# libFuzzer harnesses of every parser (fuzz/, clang, ASan + UBSan) in build-fuzz/, each run
# for FUZZ_SECONDS on a fresh seed corpus; reproducers in build-fuzz/findings/<parser>/,
# a non-zero exit on any finding (fuzz/run.sh).
FUZZ_SECONDS ?= 60
fuzz: deps
	@if [ ! -f build-fuzz/build.ninja ]; then \
	  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DAVVP_FUZZ=ON $(CMAKE_FLAGS); fi
	@cmake --build build-fuzz -j $(JOBS)
	@fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

# Every C++ file of the repository (tracked, or new and not ignored) through clang-format
# with the repository's .clang-format: `make format` rewrites them, `make format-check`
# (run by CI) fails naming each file that is not formatted.
CPP_FILES = git ls-files --cached --others --exclude-standard '*.cpp' '*.h' | \
  while read -r f; do [ -f "$$f" ] && echo "$$f"; done

format:
	@$(CPP_FILES) | xargs clang-format -i

format-check: deps
	@$(CPP_FILES) | xargs clang-format --dry-run --Werror && \
	  echo "format-check: $$($(CPP_FILES) | wc -l) C++ files formatted"

tidy: configure
	@git ls-files 'core/*.cpp' | xargs clang-tidy -p $(BUILD_DIR) --quiet

clean:
	rm -rf $(BUILD_DIR) build-headless build-fuzz
