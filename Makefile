# Thin wrapper over CMake/CTest: the two commands of the README's quick start.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
HEADWAY_ARGS ?=

.PHONY: all deps test-deps configure build run test bench fuzz package install clean format

all: build

deps:
	./packaging/install-deps.sh

test-deps:
	./packaging/install-deps.sh --test

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Without a display (no DISPLAY/WAYLAND_DISPLAY) Headway starts headless and prints its URL.
run: deps build
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "No display found: starting Headway headless (engine and web server only)."; \
		exec $(BUILD_DIR)/app/headway --headless $(HEADWAY_ARGS); \
	else \
		exec $(BUILD_DIR)/app/headway $(HEADWAY_ARGS); \
	fi

test: test-deps build
	QTWEBENGINE_DISABLE_SANDBOX=1 ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600

# Figures, not tests: engine, checksum, polling vs the Flask peer, push fan-out, GUI stall.
bench: test-deps build
	tests/bench/run.sh $(BUILD_DIR)

# libFuzzer targets (clang), 60 s each under ASan + UBSan, then a replay of what they found.
fuzz: test-deps build
	tests/fuzz/run.sh $(BUILD_DIR)

package: deps build
	cd $(BUILD_DIR) && cpack -G DEB

install: build
	cmake --install $(BUILD_DIR)

format:
	git ls-files --cached --others --exclude-standard '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
