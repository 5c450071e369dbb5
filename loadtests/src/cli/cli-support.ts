import { accessSync, constants } from 'node:fs';

/** Seconds in "90", "90s", "5m", "1m30s"; a bad value is an error naming the option. */
export function parseDurationSeconds(option: string, raw: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(raw.trim());
  const seconds = match ? Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0) : 0;
  if (!match || seconds <= 0) throw new Error(`${option} must be a duration like 30s, 5m or 1m30s; got ${JSON.stringify(raw)}`);
  return seconds;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
