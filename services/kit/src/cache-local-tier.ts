import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';

/**
 * A process's own copy of recent cache entries, in front of Redis, dropped before a write is
 * answered. Each bump (src/cache.ts) publishes the scopes it moved, in the same atomic script,
 * on a channel every process's tier listens to on its own connection; each drops those entries
 * on the message and acknowledges it to the writer, and the writer waits for as many
 * acknowledgements as Redis counted receivers (at most ACK_TIMEOUT_MS) before it answers. So a
 * change is visible on the next read through any process, as with Redis alone. The tier is
 * trusted only while that holds:
 * - only while subscribed: on a lost connection it empties and stops answering until it is
 *   subscribed again (messages sent meanwhile are lost, so it starts empty);
 * - a read that began before an invalidation of its scopes (or an emptying) does not keep what
 *   it read (`mark`/`keep`);
 * - a connection that stops answering (a half-open socket) is caught by a ping every
 *   PING_INTERVAL_MS: the tier empties and reconnects.
 */
export interface LocalTier {
  /** The entry, when held and the tier is trusted. */
  get(key: string): Buffer | undefined;
  /** Taken before asking Redis; undefined when the tier is not trusted (nothing will be kept). */
  mark(scopes: readonly string[]): number[] | undefined;
  /** Keeps `entry` unless one of `scopes` was invalidated (or the tier emptied) since `mark`. */
  keep(
    key: string,
    entry: Buffer,
    scopes: readonly string[],
    mark: readonly number[],
    ttlSeconds: number,
  ): void;
  /** Drops the entries of these scopes (this process wrote them). */
  invalidate(scopes: readonly string[]): void;
  /** The message a bump publishes: who wrote (for the acknowledgements), a sequence number, the scopes. */
  message(scopes: readonly string[]): { sequence: number; text: string };
  /**
   * Resolves once `receivers` tiers (this one included) acknowledged message `sequence`; after
   * ACK_TIMEOUT_MS it resolves false and says so in the log.
   */
  acknowledged(sequence: number, receivers: number): Promise<boolean>;
  /** True once subscribed (then trusted), false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

const PING_INTERVAL_MS = 1000;
const ACK_TIMEOUT_MS = 1000;

export function createLocalTier(
  redis: Redis,
  channel: string,
  maxEntries: number,
  logger?: Logger,
): LocalTier {
  const entries = new LRUCache<string, Buffer>({
    max: maxEntries,
    // An evicted or expired entry leaves the scope index too.
    dispose: (_value, key) => unindex(key),
  });
  /** scope → the keys of the entries that depend on it. */
  const byScope = new Map<string, Set<string>>();
  /** key → its scopes (to clean byScope when the entry goes). */
  const scopesOf = new Map<string, readonly string[]>();
  /** scope → how many invalidations it has seen; missing is 0. */
  const invalidations = new Map<string, number>();
  /** Raised at every emptying: a mark taken before it is void. */
  let emptyings = 0;
  let subscribed = false;
  let closing = false;
  const id = randomUUID();
  const ackChannel = (writer: string) => `${channel}:ack:${writer}`;
  let sequence = 0;
  /** sequence → acknowledgements still awaited, and what to call when none are. */
  const awaiting = new Map<number, { missing: number; done: (all: boolean) => void }>();
  const acknowledge = (acked: number) => {
    const wait = awaiting.get(acked);
    if (wait && --wait.missing <= 0) wait.done(true);
  };

  const unindex = (key: string) => {
    for (const scope of scopesOf.get(key) ?? []) {
      const keys = byScope.get(scope);
      keys?.delete(key);
      if (keys?.size === 0) byScope.delete(scope);
    }
    scopesOf.delete(key);
  };
  const empty = () => {
    emptyings += 1;
    entries.clear();
    byScope.clear();
    scopesOf.clear();
    invalidations.clear();
  };
  const invalidate = (scopes: readonly string[]) => {
    for (const scope of scopes) {
      invalidations.set(scope, (invalidations.get(scope) ?? 0) + 1);
      for (const key of [...(byScope.get(scope) ?? [])]) entries.delete(key);
    }
  };

  // Its own connection: a subscribed connection can run no other command. Messages come even
  // while this process is busy; no offline queue, like the cache's own connection.
  const subscriber = redis.duplicate({
    autoResubscribe: false,
    lazyConnect: false,
    // Findable in CLIENT LIST (a client name allows no spaces).
    connectionName: `${channel}:tier`.replace(/[^\x21-\x7e]/g, '_'),
  });
  const onSubscribed: Array<() => void> = [];
  subscriber.on('error', () => undefined); // the cache's own connection logs Redis errors
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel) {
      const [head = '', ...scopes] = message.split('\n');
      const [writer = '', acked = ''] = head.split(' ');
      invalidate(scopes);
      if (writer === id) acknowledge(Number(acked));
      // On the cache's connection (this one only listens); a lost acknowledgement only makes the writer wait.
      else redis.publish(ackChannel(writer), acked).catch(() => undefined);
    } else if (from === ackChannel(id)) acknowledge(Number(message));
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(channel, ackChannel(id)).then(
      () => {
        // Whatever was held before may have missed messages: start empty.
        empty();
        subscribed = true;
        for (const resolve of onSubscribed.splice(0)) resolve();
      },
      (error: unknown) => {
        logger?.warn({ err: error }, 'local cache tier: subscribe failed; reconnecting');
        subscriber.disconnect(true);
      },
    );
  });
  subscriber.on('close', () => {
    subscribed = false;
    empty();
  });
  const ping = setInterval(() => {
    if (!subscribed) return;
    subscriber.ping().catch(() => {
      if (closing) return;
      subscribed = false;
      empty();
      subscriber.disconnect(true);
    });
  }, PING_INTERVAL_MS);
  ping.unref();

  return {
    get(key) {
      return subscribed ? entries.get(key) : undefined;
    },
    mark(scopes) {
      if (!subscribed) return undefined;
      return [emptyings, ...scopes.map((scope) => invalidations.get(scope) ?? 0)];
    },
    keep(key, entry, scopes, mark, ttlSeconds) {
      if (!subscribed || mark[0] !== emptyings) return;
      if (scopes.some((scope, i) => (invalidations.get(scope) ?? 0) !== mark[i + 1])) return;
      unindex(key);
      entries.set(key, entry, { ttl: ttlSeconds * 1000 });
      scopesOf.set(key, scopes);
      for (const scope of scopes) {
        let keys = byScope.get(scope);
        if (!keys) byScope.set(scope, (keys = new Set()));
        keys.add(key);
      }
    },
    invalidate,
    message(scopes) {
      sequence += 1;
      return { sequence, text: [`${id} ${sequence}`, ...scopes].join('\n') };
    },
    acknowledged(acked, receivers) {
      if (receivers <= 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          logger?.warn(
            { receivers, missing: awaiting.get(acked)?.missing },
            'local cache tier: not every process confirmed an invalidation in time; it may serve the old entry until it does',
          );
          done(false);
        }, ACK_TIMEOUT_MS);
        const done = (all: boolean) => {
          clearTimeout(timer);
          awaiting.delete(acked);
          resolve(all);
        };
        awaiting.set(acked, { missing: receivers, done });
      });
    },
    ready(timeoutMs) {
      if (subscribed) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        onSubscribed.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async close() {
      closing = true;
      clearInterval(ping);
      subscribed = false;
      empty();
      if (subscriber.status === 'ready') await subscriber.quit().catch(() => undefined);
      subscriber.disconnect();
    },
  };
}
