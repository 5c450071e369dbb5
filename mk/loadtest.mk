# k6 load tests (loadtests/): against a running platform, and the scaling validator on a cluster.
LOADTEST_BASE_URL ?= http://127.0.0.1:8080
# A subset: make loadtest LOADTESTS="booking-peak"
LOADTESTS ?= catalog-read-heavy booking-peak user-steady

.PHONY: loadtest
loadtest: ## k6 load tests against the running platform (make dev, or a port-forwarded gateway); summaries in loadtests/results/
	BASE_URL=$(LOADTEST_BASE_URL) loadtests/run.sh $(LOADTESTS)

.PHONY: loadtest-cluster
# Without KUBECONFIG: the cluster `make up` started on this machine (the local control plane and its
# real node, whose HPA controller syncs every TOURKIT_HPA_SYNC_PERIOD, 5 s), reached through the
# gateway URL make up prints. With KUBECONFIG: that cluster (kind), gateway port-forwarded, the
# controller's default 15 s sync.
LOCAL_KUBECONFIG := $(TOURKIT_CACHE)/cluster/kubeconfig
loadtest-cluster: deps ## k6 against the cluster (KUBECONFIG, else make up's here) while recording the HPAs; checks the profiles and replays booking's policy step by step; report in loadtests/results/cluster-scaling.{md,svg} (LOADTEST_DURATION=5m)
	npx tsc -b cdk8s hack/observability loadtests
	@$(if $(KUBECONFIG),,test -f $(LOCAL_KUBECONFIG) || { echo "no KUBECONFIG and no local cluster ($(LOCAL_KUBECONFIG)): run make up first"; exit 2; })
	$(if $(KUBECONFIG),,KUBECONFIG=$(LOCAL_KUBECONFIG)) BASE_URL=$(LOADTEST_BASE_URL) node loadtests/dist/cli/validate-cluster.js \
	  $(if $(NAMESPACE),--namespace $(NAMESPACE)) $(if $(LOADTEST_DURATION),--duration $(LOADTEST_DURATION)) \
	  --hpa-sync-period $(if $(filter-out $(LOCAL_KUBECONFIG),$(KUBECONFIG)),15s,$(or $(TOURKIT_HPA_SYNC_PERIOD),5s)) $(LOADTEST_ARGS)

.PHONY: report
report: deps ## HTML page of SVG charts (requests, errors, latency, replicas, CPU, schedule bounds) of the last load test, from Prometheus (PROMETHEUS_URL, default make dev's :9090); reports/loadtest.html
	npx tsc -b hack/observability
	node hack/observability/dist/report-cli.js --prometheus $(or $(PROMETHEUS_URL),http://127.0.0.1:9090) $(REPORT_ARGS)
