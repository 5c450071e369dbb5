import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

/** The kit's logger writing to memory, so tests can assert what was logged. */
export function memoryLogger(): {
  logger: Logger;
  raw: () => string[];
  lines: () => Array<Record<string, unknown>>;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const raw = () => chunks.join('').split('\n').filter(Boolean);
  return {
    logger: createLogger('test', 'info', stream),
    raw,
    lines: () => raw().map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
