/**
 * The platform as data: each service of the one list (services/services.json) with its traffic profile,
 * what it owns and whom it calls. Network allows, env vars and data stores are derived from this table;
 * charts/tourkit/values.yaml mirrors it.
 */
import { Modest, PeakTime, ReadHeavy, Steady, type TrafficProfile } from './profiles.js';
import { SERVICE_LIST, type ServiceEntry, type ServiceName } from './service-list.js';

export { SERVICE_NAMES, type ServiceName } from './service-list.js';

export const REDIS_ROLES = ['queue', 'cache'] as const;
export type RedisRole = (typeof REDIS_ROLES)[number];

export interface Resources {
  readonly requests: {
    readonly cpu: string;
    readonly memory: string;
    readonly ephemeralStorage: string;
  };
  readonly limits: {
    readonly cpu: string;
    readonly memory: string;
    readonly ephemeralStorage: string;
  };
}

export interface DatabaseSpec {
  /** Streaming read replicas behind the `<svc>-db-ro` Service. */
  readonly readReplicas: number;
  /** The primary waits for one standby to confirm every commit (no data loss on failover). */
  readonly synchronousStandby: boolean;
  readonly storage: string;
}

export interface ServiceSpec {
  readonly name: ServiceName;
  readonly profile: TrafficProfile;
  readonly resources: Resources;
  readonly database?: DatabaseSpec;
  /** Reads DATABASE_READ_URL (the read-only endpoint). */
  readonly readsFromReplicas?: boolean;
  /** Which Redis it uses, if any: `queue` (BullMQ jobs, never evicted) or `cache` (evicts when full). */
  readonly redis?: RedisRole;
  /** Services this one calls over HTTP; the callee's ingress allow is derived from it. */
  readonly calls: readonly ServiceName[];
  /** Signs tokens, so it gets JWT_PRIVATE_KEY. */
  readonly signsTokens?: boolean;
  /** Reachable from outside the cluster (NodePort for kind). */
  readonly nodePort?: number;
  /** Reads JWT_PUBLIC_KEY (verifies access tokens). */
  readonly verifiesTokens: boolean;
  /** Reads INTERNAL_TOKEN (serves or calls `/internal/*`). */
  readonly internalToken: boolean;
  /** Signs the e-mailed payment links: PAYMENT_LINK_SECRET from the Secret's `payment-link-secret`. */
  readonly signsPaymentLinks?: boolean;
  /** Sends e-mail: SMTP_URL (the mail catcher, or the Secret's `smtp-url`) and the SMTP egress. */
  readonly sendsMail?: boolean;
  /** Reads SEED_DEMO_DATA (fills an empty database with demo rows); set from the `demoData` option. */
  readonly seedsDemoData?: boolean;
  /** Platform-wide settings it reads, from the options of the same meaning. */
  readonly sharedSettings?: readonly SharedSetting[];
  /** Its own fixed settings (ConfigMap), where production differs from or must not drift from the defaults. */
  readonly settings?: Readonly<Record<string, string>>;
}

/** Settings several services must agree on: `PUBLIC_URL` (the gateway as users reach it), `SUPPORT_EMAIL`. */
export const SHARED_SETTINGS = ['PUBLIC_URL', 'SUPPORT_EMAIL'] as const;
export type SharedSetting = (typeof SHARED_SETTINGS)[number];

/**
 * Sized for a kind cluster on a laptop: utilization targets are relative to the requests. Ephemeral
 * storage covers the 64Mi /tmp emptyDir and the container's log files, so a runaway writer is evicted
 * instead of filling the node's disk.
 */
const small: Resources = {
  requests: { cpu: '100m', memory: '128Mi', ephemeralStorage: '64Mi' },
  limits: { cpu: '500m', memory: '256Mi', ephemeralStorage: '256Mi' },
};
// Booking scales on memory 80 % as well as CPU, and a Node process's memory does not fall when
// pods are added: from n pods the HPA only goes to n-1 when each uses under (n-1)/n of the target.
// Idle booking pods hold 108-115 MiB after a load (real node, 2026-12-08): 56-60 % of a 192Mi request
// kept three pods for good (ceil(3 x 0.75) = 3); of 256Mi it is 42-45 %, under 2/3 of 80 %.
const bookingResources: Resources = {
  requests: { cpu: '100m', memory: '256Mi', ephemeralStorage: '64Mi' },
  limits: { cpu: '500m', memory: '384Mi', ephemeralStorage: '256Mi' },
};

const db = (readReplicas = 0, synchronousStandby = false): DatabaseSpec => ({
  readReplicas,
  synchronousStandby,
  storage: '1Gi',
});

/** What cdk8s knows of each service beyond the list: keyed by the list's names. */
export type ServiceSpecs = Readonly<Record<ServiceName, Omit<ServiceSpec, 'name'>>>;

const SPECS: ServiceSpecs = {
  gateway: {
    profile: Modest,
    resources: small,
    redis: 'cache', // rate-limit counters
    calls: ['catalog', 'user', 'booking', 'review'],
    nodePort: 30080,
    verifiesTokens: true,
    internalToken: false,
  },
  catalog: {
    profile: ReadHeavy,
    resources: small,
    database: db(3),
    readsFromReplicas: true,
    redis: 'cache',
    calls: ['booking'], // tour changes (its outbox → POST /internal/tours/:id/changed)
    verifiesTokens: true,
    internalToken: true,
    seedsDemoData: true, // demo tours
  },
  user: {
    profile: Steady,
    resources: small,
    database: db(1, true),
    calls: [],
    signsTokens: true,
    verifiesTokens: true,
    internalToken: true,
  },
  booking: {
    profile: PeakTime,
    resources: bookingResources,
    database: db(),
    redis: 'queue', // the payment queue
    calls: ['catalog', 'payment', 'notification'],
    verifiesTokens: true,
    internalToken: true,
    signsPaymentLinks: true,
    seedsDemoData: true, // demo promo codes
    sharedSettings: ['PUBLIC_URL', 'SUPPORT_EMAIL'],
    // The course's payment policy, stated here so a change of the service's defaults cannot move production.
    settings: {
      PAYMENT_ATTEMPTS: '6', // first try + retries after 1, 2, 4, 8, 16 s
      PAYMENT_RETRY_BASE_MS: '1000',
      PAYMENT_TIMEOUT_MS: '5000',
      PAYMENT_BREAKER_ERROR_PERCENT: '50',
      PAYMENT_BREAKER_RESET_MS: '30000',
      RESERVATION_TTL_HOURS: '24',
    },
  },
  review: {
    profile: Modest,
    resources: small,
    database: db(),
    calls: ['booking', 'catalog', 'notification'],
    verifiesTokens: true,
    internalToken: true,
  },
  payment: {
    profile: Modest,
    resources: small,
    database: db(),
    calls: [],
    verifiesTokens: false,
    internalToken: true,
  },
  notification: {
    profile: Modest,
    resources: small,
    database: db(),
    redis: 'queue', // the e-mail queue
    calls: ['booking', 'user', 'catalog'],
    verifiesTokens: false,
    internalToken: true,
    sendsMail: true,
    sharedSettings: ['SUPPORT_EMAIL'],
  },
  // The traveller's web app: static files plus /v1 forwarded to the gateway; booking's /health
  // (no token) tells it when payment is down. No internal token: the support relay stays off in
  // the cluster, and the app offers an e-mail to SUPPORT_EMAIL instead.
  web: {
    profile: Modest,
    resources: small,
    calls: ['gateway', 'booking'],
    nodePort: 30087,
    verifiesTokens: false,
    internalToken: false,
    sharedSettings: ['SUPPORT_EMAIL'],
  },
};

/**
 * The list's services with their specs, in the list's order. A listed service without a spec, a spec
 * of no listed service, a call to an unlisted service, or a database the list does not give it (or the
 * other way round) is an error naming both files.
 */
export function servicesFrom(
  list: readonly ServiceEntry[],
  specs: ServiceSpecs,
): readonly ServiceSpec[] {
  const names = new Set(list.map((s) => s.name));
  const problems = [
    ...list
      .filter((s) => specs[s.name] === undefined)
      .map((s) => `${s.name} has no spec (traffic profile, resources, calls)`),
    ...Object.keys(specs)
      .filter((name) => !names.has(name))
      .map((name) => `${name} has a spec but is not in the list`),
    ...Object.entries(specs).flatMap(([name, spec]) =>
      spec.calls.filter((c) => !names.has(c)).map((c) => `${name} calls ${c}, not in the list`),
    ),
    ...list
      .filter((s) => specs[s.name] !== undefined && s.database !== !!specs[s.name]?.database)
      .map((s) => `${s.name}: the list says database ${s.database}, the spec disagrees`),
  ];
  if (problems.length > 0)
    throw new Error(
      `services/services.json and cdk8s/src/services.ts disagree: ${problems.join('; ')}`,
    );
  return list.map((s) => ({ ...specs[s.name]!, name: s.name }));
}

export const SERVICES: readonly ServiceSpec[] = servicesFrom(SERVICE_LIST, SPECS);

/** The services that call `name`: its ingress allow list. */
export function callersOf(
  name: ServiceName,
  services: readonly ServiceSpec[] = SERVICES,
): ServiceName[] {
  // Sorted, so the chart (which ranges over a map) renders the same list.
  return services
    .filter((s) => s.calls.includes(name))
    .map((s) => s.name)
    .sort();
}

/** The env var that holds a service's base URL (CONTRIBUTING.md): `CATALOG_URL`. */
export function urlVariable(name: ServiceName): string {
  return `${name.toUpperCase()}_URL`;
}

/** Connections one database accepts from its service's pods (Postgres max_connections 100, minus headroom). */
export const DB_CONNECTION_BUDGET = 80;
/** The kit's default pool size, kept while the budget allows it. */
export const DB_POOL_MAX_CEILING = 10;

/** Replicas a service can reach: the autoscaler's maximum, else its fixed count. */
export function maxReplicasOf(spec: ServiceSpec): number {
  return spec.profile.autoscaling?.maxReplicas ?? spec.profile.replicas;
}

/** DB_POOL_MAX: every replica at its maximum still fits the database's connection budget. */
export function dbPoolMax(spec: ServiceSpec): number {
  return Math.min(DB_POOL_MAX_CEILING, Math.floor(DB_CONNECTION_BUDGET / maxReplicasOf(spec)));
}
