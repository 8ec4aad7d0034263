# The two commands: `make run` serves, `make test` runs every test. Both install what is missing.
BUILD_DIR ?= build
JOBS ?= 2
DB ?= data/contactd.db
LISTEN ?= 127.0.0.1:8080
PYTHON ?= /usr/bin/python3

.PHONY: deps build run test unit api clean

deps:
	@scripts/install-deps

$(BUILD_DIR)/CMakeCache.txt:
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

test: unit api

clean:
	rm -rf $(BUILD_DIR)
