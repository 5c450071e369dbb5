export type HealthStatus = 'UP' | 'DEGRADED' | 'DOWN';

export interface CheckResult {
  status: 'UP' | 'DOWN';
  critical: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, CheckResult>;
}

export interface CheckOptions {
  /** A critical dependency down makes the service DOWN and not ready; a non-critical one only DEGRADED. */
  critical: boolean;
  timeoutMs?: number;
}

/** Resolves when the dependency answers; throws (or rejects) when it does not. */
export type HealthCheck = () => Promise<unknown> | unknown;

interface RegisteredCheck extends CheckOptions {
  check: HealthCheck;
}

/** Named dependency checks behind /readyz and /health, plus the shutting-down flag that fails readiness first. */
export class HealthRegistry {
  private readonly checks = new Map<string, RegisteredCheck>();
  private shuttingDown = false;

  register(name: string, check: HealthCheck, options: CheckOptions): this {
    this.checks.set(name, { check, ...options });
    return this;
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async report(): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(
        async ([name, registered]) => [name, await runCheck(registered)] as const,
      ),
    );
    const checks = Object.fromEntries(entries);
    return { status: overallStatus(Object.values(checks)), checks };
  }

  /** Ready = not shutting down and every critical check passes. */
  async readiness(): Promise<{ ready: boolean; report: HealthReport }> {
    const report = await this.report();
    return { ready: !this.shuttingDown && report.status !== 'DOWN', report };
  }
}

export function overallStatus(
  results: ReadonlyArray<Pick<CheckResult, 'status' | 'critical'>>,
): HealthStatus {
  const down = results.filter((result) => result.status === 'DOWN');
  if (down.some((result) => result.critical)) return 'DOWN';
  return down.length > 0 ? 'DEGRADED' : 'UP';
}

async function runCheck({
  check,
  critical,
  timeoutMs = 2000,
}: RegisteredCheck): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(check),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'UP', critical, latencyMs: elapsed(started) };
  } catch (error) {
    return { status: 'DOWN', critical, latencyMs: elapsed(started), error: errorMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
