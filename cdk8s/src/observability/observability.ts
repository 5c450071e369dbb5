import { ApiObject } from 'cdk8s';
import { ConfigMap } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { labels } from '../labels.js';
import type { PlatformOptions } from '../options.js';
import type { ServiceSpec } from '../services.js';
import { CHART_PLACEHOLDERS, ruleGroups } from './alerts.js';
import { buildDashboards, dashboardJson } from './dashboard.js';

/** The chart's copy of the rules, with placeholders for the namespace and the thresholds. */
export const RULES_FILE = 'prometheus-rules.json';

export function chartRulesJson(services: readonly ServiceSpec[]): string {
  const groups = ruleGroups(
    CHART_PLACEHOLDERS.namespace,
    services.map((s) => s.name),
    CHART_PLACEHOLDERS.thresholds,
  );
  return `${JSON.stringify({ groups }, null, 2)}\n`;
}

/** The dashboards as a ConfigMap the Grafana sidecar picks up, and the rules as a PrometheusRule. */
export class Observability extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { services: readonly ServiceSpec[]; options: PlatformOptions },
  ) {
    super(scope, id);
    const { services, options } = props;
    new ConfigMap(this, 'dashboard', {
      metadata: {
        name: 'tourkit-dashboards',
        namespace: options.namespace,
        labels: { ...labels('tourkit-dashboards', 'observability'), grafana_dashboard: '1' },
      },
      data: Object.fromEntries(
        buildDashboards(services).map((d) => [d.file, dashboardJson(d.dashboard)]),
      ),
    });
    if (options.prometheusRules.enabled) {
      new ApiObject(this, 'rules', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: {
          name: 'tourkit',
          namespace: options.namespace,
          labels: labels('tourkit', 'observability'),
        },
        spec: {
          groups: ruleGroups(
            options.namespace,
            services.map((s) => s.name),
          ),
        },
      });
    }
  }
}
