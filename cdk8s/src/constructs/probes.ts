/**
 * Probe timings every workload shares. They are patient with a busy node: a restart costs a
 * process's whole start-up again, so on a node short of CPU (every pod starting at once, a build
 * beside it) a probe that gives up early kills pods that were merely slow, and the restarts feed the
 * shortage. Seen on the two-CPU real node (hack/README.md): startup probes at 60 s and 1-2 s
 * timeouts restarted every service in a loop, and databases' exec probes timed out at the default
 * 1 s (an exec probe starts a process in the container, through runc).
 */

/** Restart after a minute without answer, each answer allowed 5 s. */
export const LIVENESS = { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 } as const;

/** Out of the Service's endpoints after two missed answers of 3 s. */
export const READINESS = { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 } as const;

/** Start-up: up to 180 s for migrations and warm-up, over as soon as the process answers. */
export const STARTUP = { periodSeconds: 2, timeoutSeconds: 5, failureThreshold: 90 } as const;

/** An exec probe's timeout (pg_isready, redis-cli ping). */
export const EXEC_TIMEOUT_SECONDS = 5;
