# Kindred. The two commands a newcomer needs:
#   make run    start Kindred on http://localhost:8080 with the demo community
#   make test   run every test (PostgreSQL and browser tests say how to enable them when skipped)

GO ?= go

.PHONY: run test bench livebench vet
run:
	$(GO) run ./cmd/kindred serve --demo

# With KINDRED_TEST_POSTGRES set, the store contract suite runs on PostgreSQL
# too, and a second pass runs the service and HTTP tests on PostgreSQL.
# TESTFLAGS=-race adds the race detector (it needs a C compiler).
test:
	$(GO) test $(TESTFLAGS) -count=1 ./...
	@command -v chromium >/dev/null 2>&1 || echo "(the browser test was skipped: install Debian's chromium to run it)"
	@if [ -n "$$KINDRED_TEST_POSTGRES" ]; then \
		echo "== the service and HTTP tests again, on PostgreSQL"; \
		KINDRED_AXE= KINDRED_TEST_STORE=postgres $(GO) test $(TESTFLAGS) -count=1 ./internal/accounts/ ./internal/audit/ ./internal/blocks/ ./internal/live/ ./internal/moderation/ ./internal/privacy/ ./internal/safety/ ./internal/training/ ./internal/web/; \
	else \
		echo "(set KINDRED_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run the tests on PostgreSQL too)"; \
	fi
	@[ -n "$$KINDRED_TEST_NATS" ] || echo "(set KINDRED_TEST_NATS=nats://127.0.0.1:4222 as well to run two Kindred nodes sharing rooms)"

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/web/

# The live chat load tool (bench/README.md): SCENARIO=broadcast (default), idle or twonode.
livebench:
	$(GO) run ./bench/livebench $(or $(SCENARIO),broadcast)

vet:
	$(GO) vet ./...
	gofmt -l $$(git ls-files '*.go')
