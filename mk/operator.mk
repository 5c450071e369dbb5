# ScalingSchedule operator (operator/): CRD, controller, preview CLI.
OPERATOR_IMAGE ?= tourkit/scaling-schedule:dev

.PHONY: preview
preview: deps ## Print a week of the booking ScalingSchedule, its cost, and draw operator/dist/booking-week.svg
	@mkdir -p operator/dist
	@npx tsx operator/src/cli/write-booking-schedule.ts > operator/dist/booking-schedule.yaml
	npm run -s -w @tourkit/operator preview -- dist/booking-schedule.yaml --svg dist/booking-week.svg $(if $(FROM),--from $(FROM)) $(if $(PRICE),--price $(PRICE))

.PHONY: operator-crd
operator-crd: deps ## Regenerate operator/config/crd/*.yaml (ScalingSchedule, ScalingCalendar) from the TypeScript schema
	npm run -s -w @tourkit/operator gen-crd

.PHONY: operator-test
operator-test: deps ## Operator tests: schedule engine, plan, CRD, and the cluster tests (KUBECONFIG, else the local control plane, started when needed)
	npx tsc -b operator
	node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js --selectProjects operator

.PHONY: operator-bench
operator-bench: deps ## Operator benchmark: 1,000 ScalingSchedules against the local control plane
	npm run -s -w @tourkit/operator bench

.PHONY: operator-run
operator-run: deps ## Run the controller locally against the current kube context (CRDs applied first)
	kubectl apply --server-side -f operator/config/crd/
	cd operator && LEADER_ELECT=false npx tsx src/main.ts

.PHONY: operator-image
operator-image: ## Build the operator image (docker) as $(OPERATOR_IMAGE)
	docker build -f operator/Dockerfile -t $(OPERATOR_IMAGE) .
