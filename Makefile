# orch's build, test and demo entry points. `make test` is the only test entry
# point; CI runs it through .ci/run.

SWIFT ?= swift
FORMAT_CONFIG := .swift-format
FORMAT_PATHS := Sources Tests
RELEASE_FLAGS := -c release --static-swift-stdlib

# `make demo` runs these orch subcommands, in order, inside DEMO_DIR.
DEMO_DIR := examples/shop
DEMO_COMMANDS := check up

APT_PACKAGES := libyaml-dev pkg-config
# What only the tests need: systemd-analyze (in Debian's and Ubuntu's `systemd` package)
# checks the units `orch export systemd` writes.
TEST_APT_PACKAGES := systemd

.PHONY: all deps test-deps build lint format test release demo bench clean
# Targets run their prerequisites in the order written, even under `make -j`.
.NOTPARALLEL:

all: build

# Quiet when everything is present; installs libyaml when root on Debian/Ubuntu.
deps:
	@command -v $(SWIFT) >/dev/null 2>&1 || { \
	  echo "make: '$(SWIFT)' not found: install a Swift 6 toolchain (https://swift.org/install)" >&2; \
	  exit 1; }
	@if [ -f /usr/include/yaml.h ] || pkg-config --exists yaml-0.1 2>/dev/null; then \
	  :; \
	elif [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make: libyaml is missing; installing $(APT_PACKAGES)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq $(APT_PACKAGES); \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "make: libyaml is missing; install it with:" >&2; \
	  echo "  sudo apt-get update && sudo apt-get install -y $(APT_PACKAGES)" >&2; \
	  exit 1; \
	else \
	  echo "make: libyaml is missing; install libyaml and pkg-config (Homebrew: brew install libyaml pkg-config)" >&2; \
	  exit 1; \
	fi

# Quiet when systemd-analyze is present; installs it when root on Debian/Ubuntu. Only `test`
# needs it, so a plain build never installs systemd.
test-deps:
	@if command -v systemd-analyze >/dev/null 2>&1; then \
	  :; \
	elif [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make: systemd-analyze is missing (the export tests run it); installing $(TEST_APT_PACKAGES)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(TEST_APT_PACKAGES); \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "make: systemd-analyze is missing (the export tests run it); install it with:" >&2; \
	  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $(TEST_APT_PACKAGES)" >&2; \
	  exit 1; \
	else \
	  echo "make: systemd-analyze is missing (the export tests run it); install systemd" >&2; \
	  exit 1; \
	fi

build: deps
	$(SWIFT) build

lint:
	$(SWIFT) format lint --strict --configuration $(FORMAT_CONFIG) -r $(FORMAT_PATHS)

format:
	$(SWIFT) format --in-place --configuration $(FORMAT_CONFIG) -r $(FORMAT_PATHS)

test: deps test-deps lint
	$(SWIFT) build
	$(SWIFT) test

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

demo: build
	@orch="$$($(SWIFT) build --show-bin-path)/orch"; \
	cd $(DEMO_DIR) && for command in $(DEMO_COMMANDS); do \
	  echo "$$ orch $$command   (in $(DEMO_DIR))"; \
	  "$$orch" $$command || exit $$?; \
	done

bench: release
	ORCH="$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/orch" bench/run

clean:
	$(SWIFT) package clean
	rm -rf bench/out $(DEMO_DIR)/dist examples/shop-procfile/dist
