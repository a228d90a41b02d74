# Thin wrapper over CMake/CTest: the two commands of the README's quick start.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
HEADWAY_ARGS ?=

.PHONY: all deps test-deps configure build run test test-clean-root test-sanitize \
	test-sanitize-asan test-sanitize-tsan vendor bench fuzz package install clean format

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
# Only the program is built here (the tests come with `make test`).
run: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target headway
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "No display found: starting Headway headless (engine and web server only)."; \
		exec $(BUILD_DIR)/app/headway --headless $(HEADWAY_ARGS); \
	else \
		exec $(BUILD_DIR)/app/headway $(HEADWAY_ARGS); \
	fi

# Configure again: node and chromium, found at configure time, may have come with test-deps.
test: test-deps configure
	cmake $(BUILD_DIR) >/dev/null
	cmake --build $(BUILD_DIR) -j $(JOBS)
	QTWEBENGINE_DISABLE_SANDBOX=1 ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600

# The two README commands on a fresh Debian 12 root, then the ASan+UBSan pass (needs root).
test-clean-root:
	packaging/ci/clean-root.sh

# Sanitizers, each in its own build dir (CMakePresets.json): ASan+UBSan runs every test that
# starts no browser (label `browser`) nor builds a package; TSan runs tests/core and tests/server.
# Any report fails the test. Suppressions (Qt and system libraries only): tests/sanitizers/.
SAN_SUPP = $(CURDIR)/tests/sanitizers
test-sanitize: test-sanitize-asan test-sanitize-tsan

test-sanitize-asan: test-deps
	cmake --preset asan >/dev/null
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=strict_init_order=1:check_initialization_order=1 \
	LSAN_OPTIONS=suppressions=$(SAN_SUPP)/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$(SAN_SUPP)/ubsan.supp \
	QTEST_FUNCTION_TIMEOUT=900000 QTWEBENGINE_DISABLE_SANDBOX=1 ctest --test-dir build-asan --output-on-failure -j $(JOBS) \
		--timeout 900 -LE 'browser|packaging'

test-sanitize-tsan: test-deps
	cmake --preset tsan >/dev/null
	cmake --build build-tsan -j $(JOBS)
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(SAN_SUPP)/tsan.supp \
	QTEST_FUNCTION_TIMEOUT=900000 ctest --test-dir build-tsan --output-on-failure -j $(JOBS) --timeout 900 -L 'core|server'

# Only to refresh the committed web/vendor/ after changing a version in web/package.json.
vendor:
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run vendor

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
