/**
 * The platform as data: which services exist, their traffic profile, what they own and whom they call.
 * Network allows, env vars and data stores are derived from this table; charts/tourkit/values.yaml mirrors it.
 */
import { Modest, PeakTime, ReadHeavy, Steady, type TrafficProfile } from './profiles.js';

export const SERVICE_NAMES = [
  'gateway',
  'catalog',
  'user',
  'booking',
  'review',
  'payment',
  'notification',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
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
  readonly usesRedis: boolean;
  /** Services this one calls over HTTP; the callee's ingress allow is derived from it. */
  readonly calls: readonly ServiceName[];
  /** Signs tokens, so it gets JWT_PRIVATE_KEY. */
  readonly signsTokens?: boolean;
  /** Reachable from outside the cluster (NodePort for kind). */
  readonly nodePort?: number;
}

/** Sized for a kind cluster on a laptop: utilization targets are relative to the requests. */
const small: Resources = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
};
// Booking scales on memory 80 %: the request leaves a Node process's idle heap well below the target.
const bookingResources: Resources = {
  requests: { cpu: '100m', memory: '192Mi' },
  limits: { cpu: '500m', memory: '384Mi' },
};

const db = (readReplicas = 0, synchronousStandby = false): DatabaseSpec => ({
  readReplicas,
  synchronousStandby,
  storage: '1Gi',
});

export const SERVICES: readonly ServiceSpec[] = [
  {
    name: 'gateway',
    profile: Modest,
    resources: small,
    usesRedis: true,
    calls: ['catalog', 'user', 'booking', 'review', 'payment'],
    nodePort: 30080,
  },
  {
    name: 'catalog',
    profile: ReadHeavy,
    resources: small,
    database: db(3),
    readsFromReplicas: true,
    usesRedis: true,
    calls: [],
  },
  {
    name: 'user',
    profile: Steady,
    resources: small,
    database: db(1, true),
    usesRedis: false,
    calls: [],
    signsTokens: true,
  },
  {
    name: 'booking',
    profile: PeakTime,
    resources: bookingResources,
    database: db(),
    usesRedis: true,
    calls: ['catalog', 'user', 'payment', 'notification'],
  },
  {
    name: 'review',
    profile: Modest,
    resources: small,
    database: db(),
    usesRedis: false,
    calls: ['booking', 'catalog', 'notification'],
  },
  {
    name: 'payment',
    profile: Modest,
    resources: small,
    database: db(),
    usesRedis: true,
    calls: ['booking', 'notification'],
  },
  {
    name: 'notification',
    profile: Modest,
    resources: small,
    database: db(),
    usesRedis: true,
    calls: ['booking', 'user', 'catalog'],
  },
];

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
