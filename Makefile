# Tourkit: every entry point a user needs. `make help` lists them.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export TOURKIT_CACHE ?= $(HOME)/.cache/tourkit
# Node 24 LTS first on PATH for every recipe (installed into the cache when the machine's is older).
export PATH := $(shell bash -c '. hack/node-env.sh >&2 && echo "$$PATH"')

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-20s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST) | sort -t: -k1,1 -s

# Each area of the tree keeps its own targets in mk/<area>.mk.
include $(sort $(wildcard mk/*.mk))

# `npm ci`, never `npm install`: it installs exactly the lock file and never writes it, so `make dev`
# and `make test` leave the tree clean (`npm install` rewrote package-lock.json whenever npm here
# resolved anything differently). A package.json out of step with the lock file stops it with a message
# naming the package: update the lock with `npm install -w <workspace> <pkg>` and commit both. The lock
# file keeps every platform's optional bindings (e.g. @unrs/resolver-binding-*), which `npm ci` needs.
node_modules/.package-lock.json: package-lock.json package.json $(wildcard */package.json services/*/package.json hack/*/package.json)
	npm ci --loglevel=error --no-fund --no-audit
	@touch $@

.PHONY: deps
deps: node_modules/.package-lock.json ## Install the npm workspaces (Node 24 is installed first if needed)

.PHONY: build
build: deps ## Type-check and compile every workspace
	npm run build

.PHONY: lint
lint: deps lint-manifests lint-openapi ## ESLint and Prettier over the tree, kube-score over the manifests and the chart, the OpenAPI documents, the lock file in step
	npm run lint
	hack/lint/lockfile.sh

.PHONY: openapi
openapi: build ## Write every service's OpenAPI document from its zod schemas (services/*/src/http/openapi.ts)
	npx tsx hack/openapi/generate.ts

.PHONY: lint-openapi
lint-openapi: build ## The committed OpenAPI documents are what their generators write, pass Redocly's recommended rules, and break no client without a new version
	npx tsx hack/openapi/generate.ts --check
	hack/lint/openapi.sh
	hack/lint/openapi-breaking.sh

.PHONY: lint-manifests
lint-manifests: deps ## kube-score over the cdk8s output and the chart render (production and development values)
	npx tsc -b cdk8s
	hack/lint/manifests.sh

.PHONY: test
test: deps ## Every test: unit, integration (real Postgres/Redis), cross-process, cluster (real control plane), real node
	hack/tools/build.sh
	$(if $(KUBECONFIG),@echo "cluster tests use KUBECONFIG=$(KUBECONFIG)",hack/cluster/up.sh)
	npm test

.PHONY: bench
bench: build ## Benchmarks: ratios against a baseline measured in the same run
	npm run bench

.PHONY: dev
dev: deps ## Run every service locally as processes against local Postgres/Redis (no cluster)
	hack/dev.sh
