import {
  pino,
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
  type LoggerOptions,
} from 'pino';
import { currentRequestContext } from './request-context.js';

export type { Logger } from 'pino';

/**
 * JSON logs (stdout unless `destination` is given): `service` on every line, and `requestId`/`traceId`
 * on every line logged while serving a request.
 */
export function createLogger(
  name: string,
  level: LevelWithSilent | string = 'info',
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Lines from req.log and from code far from req (cache, service client, repositories) alike.
    mixin: () => currentRequestContext() ?? {},
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-internal-token"]'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
