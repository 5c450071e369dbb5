/**
 * Configuration of a Prometheus and an Alertmanager that watch the platform's processes the way the
 * cluster's do: every service scraped with the labels its ServiceMonitor gives it (`namespace`,
 * `service`), the platform's own rules (cdk8s's ruleGroups, so the alerts that fire here are the ones
 * the cluster runs), and alerts routed by e-mail to the support address. Pure data, YAML out.
 */
import {
  alertmanagerSettings,
  jaegerSettings,
  type AlertmanagerSettings,
  type JaegerSettings,
} from '@tourkit/cdk8s/observability/stack-config';
import { stringify } from 'yaml';

export interface ScrapeTarget {
  /** The service's name, as its ServiceMonitor labels it. */
  readonly service: string;
  /** host:port of its /metrics. */
  readonly address: string;
}

export interface PrometheusSettings {
  readonly namespace: string;
  readonly targets: readonly ScrapeTarget[];
  readonly ruleFile: string;
  /** host:port of the Alertmanager it sends to. */
  readonly alertmanager: string;
  /** How often to scrape and evaluate (a test runs faster than the cluster's 15 s). */
  readonly interval: string;
}

export function prometheusConfig(s: PrometheusSettings): string {
  return stringify({
    global: { scrape_interval: s.interval, evaluation_interval: s.interval },
    rule_files: [s.ruleFile],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [s.alertmanager] }] }] },
    scrape_configs: s.targets.map((t) => ({
      job_name: t.service,
      metrics_path: '/metrics',
      // The app's own `service` label equals the target's: keep it, as a ServiceMonitor would.
      honor_labels: true,
      static_configs: [
        { targets: [t.address], labels: { namespace: s.namespace, service: t.service } },
      ],
    })),
  });
}

export type { AlertmanagerSettings, JaegerSettings };

/** Alertmanager's configuration (shared with the in-cluster stack: cdk8s's stack-config). */
export function alertmanagerConfig(s: AlertmanagerSettings): string {
  return stringify(alertmanagerSettings(s));
}

/** Jaeger's configuration (shared with the in-cluster stack: cdk8s's stack-config). */
export function jaegerConfig(s: JaegerSettings): string {
  return stringify(jaegerSettings(s));
}
