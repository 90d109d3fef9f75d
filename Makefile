# triggerd — build, run, test. `make run` and `make test` work on a fresh Debian machine (as root or with sudo).
SWIFT        ?= swift
PREFIX       ?= /usr/local
DESTDIR      ?=
STATE        ?= .triggerd
LISTEN       ?= 127.0.0.1:8780
APT_PACKAGES := libcurl4-openssl-dev libsqlite3-dev pkg-config python3
# Only the tests need these: curl (health probes), systemd (systemd-analyze, systemd-socket-activate), and
# Debian's Chromium with its driver for the console's browser tests (Tests/Browser; Selenium comes from PyPI).
TEST_PACKAGES := curl systemd chromium chromium-driver
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps test-deps build release run test check-docs check-units bench install order-file fuzz torture soak clean

all: build

# Installs the system packages the build and the tests need, only when something is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@# The send_email tests run a real SMTP server (Tests/Fixtures/smtp_server.py) on aiosmtpd.
	@# pip first (the python3 on PATH may not be Debian's), then Debian's package.
	@python3 -c "import aiosmtpd" 2>/dev/null || python3 -m pip install -q aiosmtpd 2>/dev/null \
		|| DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-aiosmtpd

# Installs what the end-to-end tests use, so they run instead of skipping on a fresh machine.
test-deps: deps
	@missing=""; for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium 2>/dev/null \
		|| DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-selenium

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The webhook one-liner `make run` prints: a GitHub push signed with DEMO_WEBHOOK_SECRET from the secrets file, sent
# to etc/workflows/github-push.yaml; --wait then shows the run it started. DemoWebhookEndToEndTests runs this line.
DEMO_WEBHOOK = $$BIN/triggerctl webhook send http://$(LISTEN)/hooks/github-push --scheme github --secrets $(STATE)/secrets.env --secret DEMO_WEBHOOK_SECRET -H 'X-GitHub-Event: push' --body @etc/webhooks/github-push.json --wait --socket $(STATE)/control.sock

# Starts triggerd on the example workflows with state in ./.triggerd (Ctrl-C stops it cleanly).
run: release
	@mkdir -p $(STATE)
	@[ -f $(STATE)/secrets.env ] || { printf 'DEMO_WEBHOOK_SECRET=change-me-demo-secret\n' > $(STATE)/secrets.env; chmod 600 $(STATE)/secrets.env; }
	@BIN=$$($(SWIFT) build -c release --show-bin-path); \
	echo ""; \
	echo "triggerd is starting. In another terminal, try:"; \
	echo "  $$BIN/triggerctl status --socket $(STATE)/control.sock"; \
	echo "  $$BIN/triggerctl run hello --input '{\"who\":\"operator\"}' --wait --socket $(STATE)/control.sock"; \
	echo "  $$BIN/triggerctl run deploy-approval --socket $(STATE)/control.sock && $$BIN/triggerctl approvals --socket $(STATE)/control.sock"; \
	echo "  $(DEMO_WEBHOOK)"; \
	echo "  curl -s http://$(LISTEN)/healthz"; \
	echo ""; \
	exec $$BIN/triggerd --config etc/triggerd.yaml --workflows etc/workflows --state-dir $(STATE) \
		--socket $(STATE)/control.sock --listen $(LISTEN) --secrets $(STATE)/secrets.env

# Builds everything and runs every test (unit, integration and end-to-end against the real binaries).
test: test-deps
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) bash scripts/run-tests.sh
	python3 scripts/check-docs.py --bin "$$($(SWIFT) build --show-bin-path)"
	python3 Tests/Browser/console_browser_test.py "$$($(SWIFT) build --show-bin-path)"
	bash scripts/check-units.sh

# Runs every example in README.md and docs/ against the debug build (scripts/check-docs.py; part of `make test`).
check-docs:
	$(SWIFT) build
	python3 scripts/check-docs.py --bin "$$($(SWIFT) build --show-bin-path)"

# systemd-analyze verify (clean output required), the exposure score, and sysusers.d/tmpfiles.d on a scratch
# root; installs Debian's systemd package first if systemd-analyze is missing.
check-units:
	$(SWIFT) build --product triggerd
	bash scripts/check-units.sh

bench: release
	bash bench/run.sh

# One hour (SOAK_MINUTES) of webhooks, cron, delayed runs and event waits against the release daemon, sampling
# RSS and open fds each minute; prints the per-minute table, the drift and a loss check (bench/soak.py).
SOAK_MINUTES ?= 60
soak: release
	SOAK_MINUTES=$(SOAK_MINUTES) python3 bench/soak.py "$$($(SWIFT) build -c release --show-bin-path)"

# Crash torture (docs/proof.md): SIGKILLs the release daemon TORTURE_KILLS times (default 50) under webhooks,
# cron fires, delays, approvals and event waits, restarting it each time, then checks the invariants from the
# store and the client's log and prints the counts; exit 1 on a violation. About 2-3 minutes.
# Parameters via the environment: TORTURE_KILLS=200 TORTURE_SEED=7 make torture (see bench/torture.py).
torture: release
	BIN="$$($(SWIFT) build -c release --show-bin-path)" python3 bench/torture.py

# libFuzzer targets (docs/proof.md, "Fuzzing"): builds Fuzz/ into .build-fuzz with -sanitize=fuzzer,address
# (never .build) and runs each target FUZZ_SECONDS (default 60) from a copy of Fuzz/corpus; FUZZ_TARGETS picks some.
FUZZ_SECONDS ?= 60
fuzz:
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh $(FUZZ_TARGETS)

install: deps
	bash scripts/install.sh "$(PREFIX)" "$(DESTDIR)"

# Regenerates build/triggerd.order.gz, the start-up function order the shipped build links with
# (scripts/order-file.py: the functions the daemon executes under callgrind, checked by a run with the disk's
# readahead off; needs root and valgrind, about 2 minutes), then relinks. Worth re-running and committing after
# large changes to start-up code; a stale file is harmless, the layout is only less compact.
order-file: deps
	@command -v valgrind >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq valgrind; }
	python3 scripts/order-file.py
	bash scripts/release-build.sh >/dev/null

clean:
	rm -rf .build $(STATE)
