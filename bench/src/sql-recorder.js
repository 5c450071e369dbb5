// Loaded into booking and catalog by the bench (`node --import`, never in an image): records the SQL
// statements that one request issues, so the bench can issue the very same statements with pg
// directly as the baseline of `booking create` (issue 15, item 3; README "What each row is").
//
// Only statements run inside the kit's request context of a request whose id starts with
// RECORDED_REQUEST_PREFIX (sql-baseline.ts names the same) are written, one JSON line each, to the
// file BENCH_SQL_RECORD names: the bench sends one such request; every other request pays one
// AsyncLocalStorage look-up per query.
// Plain JavaScript, like baseline.js: no TypeScript loader in the measured processes.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
// The very module instance the service's kit uses (ESM caches by resolved file): its request context,
// through the kit's narrow `./request-context` door: the kit's index would load express and pg before
// the service's own start-up (runMain starts tracing first).
import { currentRequestContext } from '@tourkit/kit/request-context';

const RECORDED_REQUEST_PREFIX = 'bench-sql-record';

const file = process.env.BENCH_SQL_RECORD;
if (file) {
  // The pg the services load: one copy, hoisted to the repository's node_modules.
  const { Client } = createRequire(import.meta.url)('pg');
  const query = Client.prototype.query;
  const clientIds = new WeakMap();
  let nextClientId = 0;
  Client.prototype.query = function recordedQuery(config, values) {
    const requestId = currentRequestContext()?.requestId;
    if (!requestId?.startsWith(RECORDED_REQUEST_PREFIX)) return query.apply(this, arguments);
    if (!clientIds.has(this)) clientIds.set(this, (nextClientId += 1));
    const statement = {
      requestId,
      // Wall clock with sub-millisecond precision, comparable between the two processes.
      at: performance.timeOrigin + performance.now(),
      database: this.database,
      client: `${process.pid}:${clientIds.get(this)}`,
      text: typeof config === 'string' ? config : config.text,
      values:
        (typeof config === 'object' && config.values) || (Array.isArray(values) ? values : []),
    };
    const write = (result) => {
      statement.firstRow = result?.rows?.[0] ?? null;
      appendFileSync(file, `${JSON.stringify(statement)}\n`);
    };
    const last = arguments[arguments.length - 1];
    if (typeof last === 'function') {
      const args = [...arguments];
      args[args.length - 1] = (error, result) => {
        if (!error) write(result);
        last(error, result);
      };
      return query.apply(this, args);
    }
    const answer = query.apply(this, arguments);
    if (answer && typeof answer.then === 'function') answer.then(write, () => undefined);
    return answer;
  };
}
