# drmsim quick start: `make run` and `make test` on a fresh Debian 12.
# Both install missing Debian packages first (scripts/deps.sh), then build.

BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
# LINUX=/path/to/linux: build the kernel world from that 6.12 tree (a git
# checkout with one's own patches) instead of Debian's tarball; it is
# built out of tree and never written to. The build directories remember
# it; LINUX= (empty) goes back to the tarball.
ifneq ($(origin LINUX),undefined)
CMAKE_ARGS += -DDRMSIM_LINUX_SRC=$(if $(LINUX),$(abspath $(LINUX)))
endif

.PHONY: all deps build build-asan build-fuzz run fuzz test retest clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_ARGS)
	cmake --build $(BUILD) -j$(JOBS)

build-asan: deps
	cmake -S . -B $(BUILD_ASAN) $(CMAKE_ARGS) -DDRMSIM_SANITIZE=ON
	cmake --build $(BUILD_ASAN) -j$(JOBS)

# The fuzz build: clang host world (libFuzzer), gcc kernel world, both with
# ASan, UBSan and coverage; fuzz targets at the top of $(BUILD_FUZZ).
build-fuzz: deps
	CC=clang cmake -S . -B $(BUILD_FUZZ) $(CMAKE_ARGS) -DDRMSIM_FUZZ=ON
	cmake --build $(BUILD_FUZZ) -j$(JOBS)

# A minute of fuzzing bochs's ioctls, with a status line.
fuzz: build-fuzz
	$(BUILD_FUZZ)/drmsim fuzz bochs --time 60

# The default demo: bochs, in an SDL window when a display exists, PNG otherwise.
run: build
	$(BUILD)/drmsim run bochs

# The whole suite, then again under AddressSanitizer and UBSan, then the
# fuzzing pipeline and a smoke fuzz of every target.
test: build build-asan build-fuzz
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	ctest --test-dir $(BUILD_ASAN) --output-on-failure -j$(JOBS)
	ctest --test-dir $(BUILD_FUZZ) --output-on-failure -j$(JOBS)

# The edit-test loop: after editing files of the kernel tree, rebuild what
# changed and rerun the tests that cover it (scripts/retest.py; ARGS=-R
# REGEX narrows them, ARGS=--dry-run shows the plan).
# (python3 -I -S: retest needs the standard library alone, and its
# start-up is part of every loop.)
retest:
	python3 -I -S scripts/retest.py --build $(BUILD) $(ARGS)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
