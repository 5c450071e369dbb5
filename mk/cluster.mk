# The local Kubernetes control plane for cluster tests (hack/cluster, hack/tools, hack/testenv).

# Jest projects whose tests need a cluster; other areas add theirs with `E2E_PROJECTS += <name>`.
E2E_PROJECTS ?= testenv node cdk8s operator e2e

.PHONY: cluster-tools
cluster-tools: ## Build the pinned cluster tools from Go modules into $TOURKIT_CACHE/tools (cached by version)
	hack/tools/build.sh

.PHONY: cluster-local
cluster-local: ## Start (or reuse) the local control plane: etcd, apiserver, controllers, kwok nodes, metrics-server
	hack/cluster/up.sh

.PHONY: cluster-local-down
cluster-local-down: ## Stop the local control plane's processes and remove its data
	hack/cluster/down.sh

.PHONY: cluster-local-status
cluster-local-status: ## Show the local control plane's processes and their memory
	hack/cluster/status.sh

.PHONY: node
node: ## Start (or reuse) the real node: containerd + kubelet + kube-proxy in a network namespace, joined to the local control plane (root)
	hack/node/up.sh

.PHONY: node-down
node-down: ## Stop the real node and remove everything it added to the host (TOURKIT_NODE_PURGE=1 also drops its images)
	hack/node/down.sh

.PHONY: node-status
node-status: ## Show the real node's processes (components, shims, pods) and their memory
	hack/node/status.sh

.PHONY: e2e
e2e: deps ## End-to-end: cluster tests (KUBECONFIG, else the local control plane) and the cross-process platform tests
	$(if $(KUBECONFIG),,hack/cluster/up.sh)
	npm run build
	node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js \
	  --selectProjects $(E2E_PROJECTS)
