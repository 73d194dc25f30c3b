# Kindred. The two commands a newcomer needs:
#   make run    start Kindred on http://localhost:8080 with the demo community
#   make test   run every test (PostgreSQL and browser tests say how to enable them when skipped)

GO ?= go

.PHONY: run test bench vet
run:
	$(GO) run ./cmd/kindred serve --demo

test:
	$(GO) test -race -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/web/

vet:
	$(GO) vet ./...
	gofmt -l $$(git ls-files '*.go')
