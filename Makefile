# drmsim quick start: `make run` and `make test` on a fresh Debian 12.
# Both install missing Debian packages first (scripts/deps.sh), then build.

BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build build-asan run test test-asan clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_ARGS)
	cmake --build $(BUILD) -j$(JOBS)

build-asan: deps
	cmake -S . -B $(BUILD_ASAN) $(CMAKE_ARGS) -DDRMSIM_SANITIZE=ON
	cmake --build $(BUILD_ASAN) -j$(JOBS)

# The default demo: bochs, in an SDL window when a display exists, PNG otherwise.
run: build
	$(BUILD)/drmsim run bochs

# The whole suite, then again under AddressSanitizer and UBSan.
test: build build-asan
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	ctest --test-dir $(BUILD_ASAN) --output-on-failure -j$(JOBS)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
