import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { labels, selectorLabels } from '../labels.js';
import type { PlatformOptions } from '../options.js';
import { callersOf, REDIS_ROLES, type ServiceSpec } from '../services.js';
import { MAIL_CATCHER, MAIL_CATCHER_SMTP_PORT, MAIL_CATCHER_WEB_PORT } from './mail-catcher.js';
import { databaseEndpoints, POSTGRES_PORT } from './postgres.js';
import { REDIS_PORT, redisName } from './redis.js';
import { CONTAINER_PORT } from './tourkit-service.js';
import {
  ALERTMANAGER,
  ALERTMANAGER_PORT,
  JAEGER,
  JAEGER_OTLP_HTTP_PORT,
  JAEGER_QUERY_PORT,
  PROMETHEUS,
  PROMETHEUS_PORT,
} from '../observability/stack.js';

const tcp = (port: number | string): k8s.NetworkPolicyPort => ({
  protocol: 'TCP',
  port:
    typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port),
});
const pods = (matchLabels: Record<string, string>): k8s.NetworkPolicyPeer => ({
  podSelector: { matchLabels },
});
const namespace = (name: string): k8s.NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
/** The API server is outside the pod network, so it can only be named by port. */
const KUBE_API_PORTS = [tcp(443), tcp(6443)];
/** A real relay is outside the cluster too: SMTP, submissions (TLS), submission (STARTTLS). */
export const SMTP_RELAY_PORTS = [25, 465, 587];

/**
 * The OTLP collector's port, from the services' OTEL_EXPORTER_OTLP_ENDPOINT (the scheme's default when
 * the URL names none).
 */
export function otlpPort(endpoint: string): number {
  const url = new URL(endpoint);
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

export interface NetworkPoliciesProps {
  readonly services: readonly ServiceSpec[];
  readonly options: PlatformOptions;
}

/**
 * Default deny in both directions for the whole namespace, then one allow policy per workload:
 * a service accepts its callers (derived from `calls`), Prometheus and, for the gateway, everyone;
 * it reaches its callees, its own database, Redis if it uses it, SMTP if it sends mail, the OTLP
 * collector when traces are exported, and DNS.
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    const { services, options } = props;
    const ns = options.namespace;
    const stack = options.observabilityStack.enabled;
    const policy = (name: string, spec: k8s.NetworkPolicySpec, component: string) =>
      new k8s.KubeNetworkPolicy(this, name, {
        metadata: { name, namespace: ns, labels: labels(name, component) },
        spec,
      });

    policy(
      'default-deny',
      { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      'network-policy',
    );
    policy(
      'allow-dns',
      {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                ...namespace('kube-system'),
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
            ],
          },
        ],
      },
      'network-policy',
    );

    for (const spec of services) {
      const callers = callersOf(spec.name, services);
      const db = spec.database ? databaseEndpoints(spec.name, options) : undefined;
      const ingressFrom: k8s.NetworkPolicyIngressRule[] = [
        { from: [namespace(options.monitoringNamespace)], ports: [tcp('http')] },
      ];
      // The in-cluster Prometheus scrapes every service.
      if (stack)
        ingressFrom.push({ from: [pods(selectorLabels(PROMETHEUS))], ports: [tcp('http')] });
      if (spec.nodePort) ingressFrom.unshift({ ports: [tcp('http')] });
      else if (callers.length > 0)
        ingressFrom.unshift({
          from: callers.map((c) => pods(selectorLabels(c))),
          ports: [tcp('http')],
        });
      const egress: k8s.NetworkPolicyEgressRule[] = [];
      if (spec.calls.length > 0)
        egress.push({
          to: spec.calls.map((c) => pods(selectorLabels(c))),
          ports: [tcp(CONTAINER_PORT)],
        });
      if (db) egress.push({ to: [pods(db.podLabels)], ports: [tcp(POSTGRES_PORT)] });
      if (spec.redis)
        egress.push({
          to: [pods(selectorLabels(redisName(spec.redis)))],
          ports: [tcp(REDIS_PORT)],
        });
      if (spec.sendsMail)
        egress.push(
          options.mailCatcher.enabled
            ? { to: [pods(selectorLabels(MAIL_CATCHER))], ports: [tcp(MAIL_CATCHER_SMTP_PORT)] }
            : { ports: SMTP_RELAY_PORTS.map(tcp) },
        );
      // Traces: the collector may run in any namespace or outside the cluster (Jaeger, an OpenTelemetry
      // Collector, a vendor's), and a policy cannot name a host, so it is opened by port, like SMTP.
      if (options.otlpEndpoint) egress.push({ ports: [tcp(otlpPort(options.otlpEndpoint))] });
      policy(
        spec.name,
        {
          podSelector: { matchLabels: selectorLabels(spec.name) },
          policyTypes: ['Ingress', 'Egress'],
          ingress: ingressFrom,
          egress,
        },
        'network-policy',
      );

      if (db) {
        const cnpg = options.cloudnativepg.enabled;
        policy(
          db.clusterName,
          {
            podSelector: { matchLabels: db.podLabels },
            policyTypes: ['Ingress', 'Egress'],
            ingress: [
              // The service, and the database's own instances (replication).
              {
                from: [pods(selectorLabels(spec.name)), pods(db.podLabels)],
                ports: [tcp(POSTGRES_PORT)],
              },
              ...(cnpg
                ? [{ from: [namespace('cnpg-system')], ports: [tcp(POSTGRES_PORT), tcp(8000)] }]
                : []),
            ],
            egress: [
              { to: [pods(db.podLabels)], ports: [tcp(POSTGRES_PORT)] },
              // CloudNativePG's instance manager talks to the API server.
              ...(cnpg ? [{ ports: KUBE_API_PORTS }] : []),
            ],
          },
          'network-policy',
        );
      }
    }

    for (const role of REDIS_ROLES) {
      const users = services
        .filter((s) => s.redis === role)
        .map((s) => s.name)
        .sort()
        .map((name) => pods(selectorLabels(name)));
      policy(
        redisName(role),
        {
          podSelector: { matchLabels: selectorLabels(redisName(role)) },
          policyTypes: ['Ingress', 'Egress'],
          // No egress rule: Redis reaches nothing but DNS.
          ingress: [{ from: users, ports: [tcp(REDIS_PORT)] }],
        },
        'network-policy',
      );
    }

    if (options.mailCatcher.enabled) {
      const senders = services
        .filter((s) => s.sendsMail)
        .map((s) => s.name)
        .sort()
        .map((name) => pods(selectorLabels(name)));
      // The in-cluster Alertmanager e-mails support through it.
      if (stack) senders.push(pods(selectorLabels(ALERTMANAGER)));
      policy(
        MAIL_CATCHER,
        {
          podSelector: { matchLabels: selectorLabels(MAIL_CATCHER) },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            { from: senders, ports: [tcp(MAIL_CATCHER_SMTP_PORT)] },
            // The web inbox, opened in a browser through the NodePort.
            { ports: [tcp(MAIL_CATCHER_WEB_PORT)] },
          ],
          // No egress rule: the catcher relays nothing.
        },
        'network-policy',
      );
    }
    if (stack) {
      // Sorted, as the chart ranges over its services map.
      const servicePods = services
        .map((s) => s.name)
        .sort()
        .map((name) => pods(selectorLabels(name)));
      policy(
        PROMETHEUS,
        {
          podSelector: { matchLabels: selectorLabels(PROMETHEUS) },
          policyTypes: ['Ingress', 'Egress'],
          // Its UI and API, opened in a browser through the NodePort.
          ingress: [{ ports: [tcp(PROMETHEUS_PORT)] }],
          egress: [
            { to: servicePods, ports: [tcp(CONTAINER_PORT)] },
            { to: [pods(selectorLabels(ALERTMANAGER))], ports: [tcp(ALERTMANAGER_PORT)] },
            // Pod discovery (kubernetes_sd) asks the API server.
            { ports: KUBE_API_PORTS },
          ],
        },
        'network-policy',
      );
      policy(
        ALERTMANAGER,
        {
          podSelector: { matchLabels: selectorLabels(ALERTMANAGER) },
          policyTypes: ['Ingress', 'Egress'],
          // Prometheus, and the UI through the NodePort.
          ingress: [{ ports: [tcp(ALERTMANAGER_PORT)] }],
          egress: [
            { to: [pods(selectorLabels(MAIL_CATCHER))], ports: [tcp(MAIL_CATCHER_SMTP_PORT)] },
          ],
        },
        'network-policy',
      );
      policy(
        JAEGER,
        {
          podSelector: { matchLabels: selectorLabels(JAEGER) },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            { from: servicePods, ports: [tcp(JAEGER_OTLP_HTTP_PORT)] },
            // The UI and API through the NodePort.
            { ports: [tcp(JAEGER_QUERY_PORT)] },
          ],
          // No egress rule: Jaeger keeps the traces in memory.
        },
        'network-policy',
      );
    }
  }
}
