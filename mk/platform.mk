# Platform: images, manifests (cdk8s), local kind cluster, deployment. Included by the root Makefile.
# Docker, kind and helm run on the user's Docker host; none of them is needed for `make synth`.

KIND_CLUSTER ?= tourkit
NAMESPACE    ?= tourkit
TAG          ?= dev
REGISTRY     ?=
# Every service of services/services.json (the one list of services) gets an image, all from the
# one services/Dockerfile with --build-arg SERVICE=<svc>.
IMAGE_SERVICES = $(shell node -p "require('./services/services.json').services.map((s) => s.name).join(' ')")
CDK8S_DIST   := cdk8s/dist
KUBECTL      ?= kubectl
HELM         ?= helm
KIND         ?= kind
MINIKUBE     ?= minikube
DOCKER       ?= docker
# KUBECONFIG set: how make up gets the images into that cluster. Empty: read from its current context
# (cdk8s/src/cluster-target.ts: kind-<name> contexts are kind, minikube's are marked as such, any other
# needs REGISTRY); kind, minikube or registry: that, whatever the context says.
IMAGE_LOAD   ?=
MONITORING_NAMESPACE ?= monitoring
# CNPG=1 installs CloudNativePG and deploys the databases as its Clusters instead of StatefulSets.
CNPG         ?= 0
# Empty: keep the cdk8s default (on); `make deploy` sets it from the CRDs present.
TOURKIT_SERVICE_MONITOR ?=
# MAIL_CATCHER=0 leaves Mailpit out: notification then sends through SMTP_URL (put in the Secret as smtp-url);
# 1 deploys it. Empty: the VALUES set's (development: on; production: off).
MAIL_CATCHER ?=
# DEMO_DATA=0 leaves catalog and booking empty (SEED_DEMO_DATA=false); 1 seeds demo tours and promo codes.
# Empty: the VALUES set's (development: on; production: off).
DEMO_DATA    ?=
# Where users reach the gateway (base of booking's payment links). Empty: the VALUES set's (development:
# http://localhost:8080, kind's mapping); production has none and refuses to synthesize without it.
PUBLIC_URL   ?=
# VALUES=development (kind, minikube, the local node: local images, a database's pods only prefer separate
# nodes, Mailpit, demo data, http://localhost:8080) or production (the defaults: registry images, separate
# nodes required, a real SMTP relay, no demo data, PUBLIC_URL required). The chart's
# charts/tourkit/values-development.yaml says the same.
VALUES       ?= development
# WATCH_NAMESPACES=tourkit,other scopes the operator to those namespaces (Roles there, no ClusterRole); empty: cluster-wide.
WATCH_NAMESPACES ?=

.PHONY: synth
synth: deps ## Synthesize the Kubernetes manifests into cdk8s/dist/*.k8s.yaml
	npx tsc -b cdk8s
	TOURKIT_VALUES=$(VALUES) TOURKIT_NAMESPACE=$(NAMESPACE) TOURKIT_IMAGE_TAG=$(TAG) TOURKIT_IMAGE_REGISTRY=$(REGISTRY) \
	  TOURKIT_CNPG=$(CNPG) TOURKIT_SERVICE_MONITOR=$(TOURKIT_SERVICE_MONITOR) \
	  TOURKIT_MAIL_CATCHER=$(MAIL_CATCHER) TOURKIT_PUBLIC_URL=$(PUBLIC_URL) TOURKIT_DEMO_DATA=$(DEMO_DATA) \
	  TOURKIT_OPERATOR_IMAGE=$(OPERATOR_IMAGE) TOURKIT_OPERATOR_WATCH_NAMESPACES=$(WATCH_NAMESPACES) \
	  node $(CDK8S_DIST)/main.js

.PHONY: dashboards
dashboards: deps ## Generate the Grafana dashboard JSON (cdk8s/dist/dashboards and the Helm chart's copy)
	npx tsc -b cdk8s
	node $(CDK8S_DIST)/main.js --dashboards $(CDK8S_DIST)/dashboards charts/tourkit/files/dashboards
	npx prettier --log-level warn --write charts/tourkit/files/dashboards

.PHONY: chart-files
chart-files: dashboards ## Refresh the Helm chart's generated files: dashboard JSON, the ScalingSchedule and ScalingCalendar CRDs (crds/), values.schema.json, the Prometheus rules, the in-cluster stack's files
	node $(CDK8S_DIST)/main.js --chart-crds charts/tourkit/crds
	node $(CDK8S_DIST)/main.js --chart-values-schema charts/tourkit
	node $(CDK8S_DIST)/main.js --chart-rules charts/tourkit/files
	node $(CDK8S_DIST)/main.js --chart-load-generator charts/tourkit/files/load-generator
	node $(CDK8S_DIST)/main.js --chart-observability-stack charts/tourkit/files/observability
	npx prettier --log-level warn --write charts/tourkit/crds charts/tourkit/values.schema.json charts/tourkit/files/prometheus-rules.json charts/tourkit/files/observability

.PHONY: images
images: ## Build every service image (tourkit/<svc>:$(TAG)) from services/Dockerfile: with docker when it runs, else by BuildKit into containerd (hack/images, tag from its images.env)
ifeq ($(HAVE_DOCKER),yes)
	@set -e; n=0; total=$(words $(IMAGE_SERVICES)); \
	for svc in $(IMAGE_SERVICES); do \
	  n=$$((n + 1)); echo "==> [$$n/$$total] tourkit/$$svc:$(TAG)"; \
	  docker build --progress=plain -f services/Dockerfile --build-arg SERVICE=$$svc -t tourkit/$$svc:$(TAG) . ; \
	done
else
	hack/images/build.sh services
endif

.PHONY: kind-cluster
kind-cluster:
	@$(KIND) get clusters 2>/dev/null | grep -qx '$(KIND_CLUSTER)' \
	  || $(KIND) create cluster --name $(KIND_CLUSTER) --config kind-config.yaml --wait 120s
	$(KUBECTL) config use-context kind-$(KIND_CLUSTER)

.PHONY: kind-load
kind-load: images operator-image
	@for image in $(foreach s,$(IMAGE_SERVICES),tourkit/$(s):$(TAG)) $(OPERATOR_IMAGE); do \
	  echo "==> loading $$image into kind"; \
	  $(KIND) load docker-image $$image --name $(KIND_CLUSTER); \
	done

# Third-party charts (on a connected Docker host):
#   prometheus-community https://prometheus-community.github.io/helm-charts  (kube-prometheus-stack)
#   metrics-server       https://kubernetes-sigs.github.io/metrics-server/   (resource metrics for the HPAs)
#   cnpg                 https://cloudnative-pg.github.io/charts              (CloudNativePG, CNPG=1)
.PHONY: cluster-addons
cluster-addons:
	@if ! command -v $(HELM) >/dev/null; then \
	  echo "!! helm not found: skipping metrics-server and kube-prometheus-stack (HPAs will report no metrics)"; exit 0; fi; \
	set -x; \
	$(HELM) repo add metrics-server https://kubernetes-sigs.github.io/metrics-server/ --force-update >/dev/null; \
	$(HELM) repo add prometheus-community https://prometheus-community.github.io/helm-charts --force-update >/dev/null; \
	$(HELM) upgrade --install metrics-server metrics-server/metrics-server -n kube-system \
	  --set 'args={--kubelet-insecure-tls}' --wait; \
	$(HELM) upgrade --install kube-prometheus-stack prometheus-community/kube-prometheus-stack \
	  -n $(MONITORING_NAMESPACE) --create-namespace --wait --timeout 10m \
	  --set prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues=false \
	  --set prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues=false \
	  --set grafana.service.type=NodePort --set grafana.service.nodePort=30300 \
	  --set grafana.sidecar.dashboards.searchNamespace=ALL \
	  --set grafana.adminPassword=tourkit; \
	if [ "$(CNPG)" = 1 ]; then \
	  $(HELM) repo add cnpg https://cloudnative-pg.github.io/charts --force-update >/dev/null; \
	  $(HELM) upgrade --install cnpg cnpg/cloudnative-pg -n cnpg-system --create-namespace --wait; \
	fi

.PHONY: deploy
deploy: ## Apply the platform to the current kube context (server-side apply; CRD kinds only where installed)
	@if $(KUBECTL) get crd servicemonitors.monitoring.coreos.com >/dev/null 2>&1; then sm=true; else sm=false; \
	  echo "!! no Prometheus operator CRDs: ServiceMonitors and PrometheusRule left out (scrape annotations remain)"; fi; \
	$(MAKE) --no-print-directory synth TOURKIT_SERVICE_MONITOR=$$sm
	$(KUBECTL) apply --server-side --field-manager=tourkit -f $(CDK8S_DIST)/tourkit-namespace.k8s.yaml
	cdk8s/scripts/create-secrets.sh $(NAMESPACE)
	$(KUBECTL) apply --server-side --field-manager=tourkit -f $(CDK8S_DIST)/tourkit-crds.k8s.yaml
	$(KUBECTL) wait --for=condition=Established --timeout=60s crd/scalingschedules.scaling.tourkit.dev crd/scalingcalendars.scaling.tourkit.dev
	@# HPAs a ScalingSchedule manages: created once (tourkit-hpa-initial: name, target, bounds), and right
	@# then their applied half (tourkit-hpa-handover) applied with --force-conflicts, taking from the initial HPA's manager
	@# all but the bounds (it also owns what the API server defaulted). tourkit.k8s.yaml applies them
	@# without bounds; the controller owns the bounds (operator/README.md, "who owns minReplicas...").
	@initial=$(CDK8S_DIST)/tourkit-hpa-initial.k8s.yaml; if [ -f $$initial ]; then \
	  err=$$(mktemp); created=$$($(KUBECTL) create --field-manager=tourkit-hpa-initial -o name -f $$initial 2>$$err) || \
	    if grep -v AlreadyExists $$err | grep -q .; then cat $$err >&2; rm -f $$err; exit 1; fi; rm -f $$err; \
	  if [ -n "$$created" ]; then echo "created: $$created"; \
	    $(KUBECTL) apply --server-side --field-manager=tourkit --force-conflicts --validate=false \
	      -f $(CDK8S_DIST)/tourkit-hpa-handover.k8s.yaml; fi; fi
	@# --validate=false, as the Kubernetes docs' server-side apply ownership transfer: kubectl's client-side
	@# schema check would want maxReplicas in that HPA; the API server still validates every merged object.
	$(KUBECTL) apply --server-side --field-manager=tourkit --validate=false -f $(CDK8S_DIST)/tourkit.k8s.yaml
	$(KUBECTL) apply --server-side --field-manager=tourkit -f $(CDK8S_DIST)/tourkit-operator.k8s.yaml
	$(KUBECTL) -n $(NAMESPACE) rollout status statefulset --timeout=10m
	$(KUBECTL) -n $(NAMESPACE) rollout status deployment --timeout=10m

# Docker and kind present: kind. Otherwise the local control plane and a real node (hack/node, root).
HAVE_KIND := $(shell command -v docker >/dev/null 2>&1 && command -v $(KIND) >/dev/null 2>&1 && docker info >/dev/null 2>&1 && echo yes)

# KUBECONFIG naming the local control plane's own kubeconfig (hack/README.md says to export it) is
# not "a cluster of the user's": make up then still takes the path without Docker.
.PHONY: up
up: deps ## The whole platform: on the cluster KUBECONFIG names when set, else on kind with Docker, else on a real node of the local control plane
ifneq ($(filter-out $(TOURKIT_CACHE)/cluster/kubeconfig,$(KUBECONFIG)),)
	$(MAKE) --no-print-directory up-kubeconfig
else ifeq ($(HAVE_KIND),yes)
	$(MAKE) --no-print-directory up-kind
else
	@echo "No Docker/kind here: the platform goes on the local control plane and a real node (hack/node/platform-up.sh)."
	NAMESPACE=$(NAMESPACE) hack/node/platform-up.sh
endif

.PHONY: up-kubeconfig
up-kubeconfig: deps ## The platform on the cluster KUBECONFIG names: images built with Docker, then kind load, minikube image load, or a push to REGISTRY (IMAGE_LOAD overrides), then deploy
	npx tsc -b cdk8s
	KUBECTL='$(KUBECTL)' KIND='$(KIND)' MINIKUBE='$(MINIKUBE)' DOCKER='$(DOCKER)' TAG='$(TAG)' \
	  OPERATOR_IMAGE='$(OPERATOR_IMAGE)' IMAGE_LOAD='$(IMAGE_LOAD)' REGISTRY='$(REGISTRY)' \
	  IMAGE_SERVICES='$(IMAGE_SERVICES)' NAMESPACE='$(NAMESPACE)' cdk8s/scripts/up-kubeconfig.sh

.PHONY: up-kind
up-kind: deps kind-cluster kind-load cluster-addons deploy ## Local kind cluster with everything: images, data stores, observability, platform; prints URLs
	@echo
	@echo "Tourkit is up (kind cluster '$(KIND_CLUSTER)', namespace '$(NAMESPACE)'):"
	@echo "  gateway  http://localhost:8080/v1/tours"
	@echo "  API      http://localhost:8080/docs  (reference of the public API, /v1/openapi.json)"
	@echo "  web      http://localhost:8087"
	@echo "  grafana  http://localhost:3000  (admin / tourkit; dashboard 'Tourkit: services (RED) and autoscaling')"
	@if [ "$(MAIL_CATCHER)" != 0 ] && [ "$(VALUES)" = development -o "$(MAIL_CATCHER)" = 1 ]; then echo "  e-mail   http://localhost:8025  (Mailpit: every message notification sends)"; fi
	@echo "  kubectl  -n $(NAMESPACE) get deploy,hpa,pdb"

.PHONY: down
down: ## Delete the kind cluster; without Docker: stop the real node and the local control plane, removing what up added
ifeq ($(HAVE_KIND),yes)
	$(KIND) delete cluster --name $(KIND_CLUSTER)
else
	hack/node/down.sh
	hack/cluster/down.sh
endif
