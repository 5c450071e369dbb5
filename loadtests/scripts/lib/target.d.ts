// Types of target.js for the TypeScript tests (k6 runs the JavaScript itself).
export function parseHttpUrl(raw: string): {
  scheme: string;
  host: string;
  port: string | undefined;
  path: string;
};
export function isLoopbackHost(host: string): boolean;
export function resolveBaseUrl(env: Record<string, string | undefined>): string;
export function envInt(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
): number;
export function envDuration(
  env: Record<string, string | undefined>,
  name: string,
  fallback: string,
): string;
export function durationSeconds(duration: string): number;
export function nonLoopbackCidrs(): string[];
export function loopbackOnlyOptions(env: Record<string, string | undefined>): {
  blacklistIPs?: string[];
};
