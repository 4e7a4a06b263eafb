# zhengce — build, test, run and benchmark.
GO      ?= go
ADDR    ?= 127.0.0.1:8080
BIN     := bin/zhengce
FUZZTIME ?= 10s

.PHONY: build test run bench fuzz vet clean

build:
	$(GO) build -o $(BIN) ./cmd/zhengce

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (echo "gofmt needed:"; gofmt -l .; exit 1)

# The whole suite: vet, unit/golden/property/HTTP tests with the race
# detector, browser end-to-end tests (need /usr/bin/chromium), short fuzz runs.
test: vet
	$(GO) test -race -count=1 ./...
	$(MAKE) fuzz

# Short coverage-guided fuzz runs of every parser that sees user input.
FUZZ_TARGETS := ./corpus:FuzzParse ./corpus:FuzzFindTable

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzz $$pkg $$fn ($(FUZZTIME))"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME); \
	done

run: build
	./$(BIN) serve --addr $(ADDR)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
