# k6 load tests (loadtests/): against a running platform, and the scaling validator on a cluster.
LOADTEST_BASE_URL ?= http://127.0.0.1:8080
# A subset: make loadtest LOADTESTS="booking-peak"
LOADTESTS ?= catalog-read-heavy booking-peak user-steady

.PHONY: loadtest
loadtest: ## k6 load tests against the running platform (make dev, or a port-forwarded gateway); summaries in loadtests/results/
	BASE_URL=$(LOADTEST_BASE_URL) loadtests/run.sh $(LOADTESTS)

.PHONY: loadtest-cluster
loadtest-cluster: deps ## k6 against the current kube context (gateway port-forwarded to localhost) while recording the HPAs; checks the scaling rules (LOADTEST_DURATION=5m)
	npx tsc -b cdk8s loadtests
	BASE_URL=$(LOADTEST_BASE_URL) node loadtests/dist/cli/validate-cluster.js $(if $(NAMESPACE),--namespace $(NAMESPACE)) $(if $(LOADTEST_DURATION),--duration $(LOADTEST_DURATION))

.PHONY: report
report: deps ## HTML page of SVG charts (requests, errors, latency, replicas, CPU, schedule bounds) of the last load test, from Prometheus (PROMETHEUS_URL, default make dev's :9090); reports/loadtest.html
	npx tsc -b hack/observability
	node hack/observability/dist/report-cli.js --prometheus $(or $(PROMETHEUS_URL),http://127.0.0.1:9090) $(REPORT_ARGS)
