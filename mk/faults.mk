# The fault suite (e2e/test/faults, issue 12 item 8): the platform as processes on a private Redis
# and a private Postgres, each fault injected at a saga step, then the invariants. Part of `make test`
# (the e2e jest project); this target runs it alone.

.PHONY: test-faults
test-faults: deps ## Fault suite: faults injected at each saga step, invariants checked; table in e2e/reports/faults.md
	npx tsc -b
	npm run -w @tourkit/e2e test:faults
