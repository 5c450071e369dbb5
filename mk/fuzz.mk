# The schema-driven fuzzer (e2e/test/fuzz.test.ts) on its own; `make test` runs it too, with the
# defaults below. A failure prints the seed and the request: the same FUZZ_SEED replays it.
FUZZ_RUNS ?= 100
FUZZ_SEED ?= 20261207

.PHONY: test-fuzz
test-fuzz: deps ## The fuzzer alone: every public operation through the gateway, FUZZ_RUNS cases each (100), FUZZ_SEED (20261207)
	npx tsc -b
	FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_SEED=$(FUZZ_SEED) node --experimental-vm-modules --no-warnings=ExperimentalWarning \
	  node_modules/jest/bin/jest.js e2e/test/fuzz.test.ts --selectProjects e2e
