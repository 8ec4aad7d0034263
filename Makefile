# The two commands: `make run` serves, `make test` runs every test. Both install what is missing.
BUILD_DIR ?= build
JOBS ?= 2
DB ?= data/contactd.db
LISTEN ?= 127.0.0.1:8080
PYTHON ?= /usr/bin/python3

.PHONY: deps build run test unit api lint-openapi clean build-asan test-asan

# ASan+UBSan build of everything in $(ASAN_BUILD_DIR); `make test-asan` runs the unit tests and the API
# suite against it. Any sanitizer report fails the run (UBSan halts with exit 1, ASan/LSan abort).
ASAN_BUILD_DIR ?= build-asan
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_OPTS := detect_leaks=1:abort_on_error=1:halt_on_error=1
UBSAN_OPTS := print_stacktrace=1:halt_on_error=1
# Servers and CLIs started by the API tests often have their stderr discarded: ASan/LSan reports
# also go to files here, and any file fails the run. (GCC's UBSan ignores log_path; it exits 1.)
ASAN_LOGS = $(CURDIR)/$(ASAN_BUILD_DIR)/sanitizer-logs
# The stderr that tests would discard, kept here under test-asan (tests/api/conftest.py) and
# searched for UBSan reports.
ASAN_STDERR = $(CURDIR)/$(ASAN_BUILD_DIR)/server-stderr

deps:
	@scripts/install-deps

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@mkdir -p $(dir $(DB))
	$(BUILD_DIR)/contactd serve --db $(DB) --listen $(LISTEN)

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

api: build
	$(PYTHON) -m pytest tests/api -q

# The OpenAPI documents lint clean: no error and no warning (.redocly.lint-ignore.yaml lists
# the few findings that are not problems, with why).
lint-openapi: deps
	@out=$$(tools/node_modules/.bin/redocly lint docs/openapi/*.yaml 2>&1); status=$$?; \
	echo "$$out" | grep -E "validated|error|warning|Woohoo|ignored" | grep -v "║"; \
	if [ $$status -ne 0 ] || echo "$$out" | grep -qE "You have [0-9]+ warning"; then \
	  echo "$$out"; echo "lint-openapi: the OpenAPI documents do not lint clean"; exit 1; fi

test: unit lint-openapi api

$(ASAN_BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_EXE_LINKER_FLAGS="$(SANITIZE_FLAGS)"

build-asan: deps $(ASAN_BUILD_DIR)/CMakeCache.txt
	cmake --build $(ASAN_BUILD_DIR) -j$(JOBS)

test-asan: build-asan
	cd $(ASAN_BUILD_DIR) && ASAN_OPTIONS=$(ASAN_OPTS) UBSAN_OPTIONS=$(UBSAN_OPTS) ctest --output-on-failure -j$(JOBS)
	rm -rf $(ASAN_LOGS) $(ASAN_STDERR) && mkdir -p $(ASAN_LOGS) $(ASAN_STDERR)
	status=0; ASAN_OPTIONS=$(ASAN_OPTS):log_path=$(ASAN_LOGS)/asan UBSAN_OPTIONS=$(UBSAN_OPTS) \
	  CONTACTD_BIN=$(CURDIR)/$(ASAN_BUILD_DIR)/contactd CONTACTD_STDERR_DIR=$(ASAN_STDERR) \
	  $(PYTHON) -m pytest tests/api -q || status=$$?; \
	if [ -n "$$(ls -A $(ASAN_LOGS))" ]; then \
	  echo "test-asan: sanitizer reports from API-suite processes:"; cat $(ASAN_LOGS)/*; status=1; \
	fi; \
	if grep -l -E 'runtime error:|AddressSanitizer|LeakSanitizer' $(ASAN_STDERR)/* 2>/dev/null; then \
	  echo "test-asan: sanitizer reports in the stderr of servers above"; status=1; \
	fi; exit $$status

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(FUZZ_BUILD_DIR)

# libFuzzer targets (tests/fuzz/README.md), built with clang 16, ASan and UBSan in their own dir.
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= contact_body list_query phone cursor import_row http_request

.PHONY: fuzz

$(FUZZ_BUILD_DIR)/CMakeCache.txt: | deps
	CC=clang-16 CXX=clang++-16 cmake -S . -B $(FUZZ_BUILD_DIR) -DCONTACTD_FUZZ=ON \
	  -DCONTACTD_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo

fuzz: deps $(FUZZ_BUILD_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD_DIR) -j$(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	tests/fuzz/run $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
