# Images without Docker (hack/images): BuildKit into containerd's k8s.io namespace, nothing pulled.
# Included before platform.mk, whose `images` target uses HAVE_DOCKER.

# A Docker engine that answers: `make images` uses it; otherwise hack/images/build.sh.
HAVE_DOCKER := $(shell command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && echo yes)

.PHONY: images-local
images-local: ## Every image the local node runs (base, pause, CoreDNS, Postgres, Redis, Mailpit, services, operator), made here by BuildKit into containerd (root; CONTAINERD_ADDRESS)
	hack/images/build.sh all
