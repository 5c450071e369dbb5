import { ApiObject } from 'cdk8s';
import { ConfigMap } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { labels } from '../labels.js';
import type { PlatformOptions } from '../options.js';
import type { ServiceSpec } from '../services.js';
import { alertRules } from './alerts.js';
import { dashboardJson } from './dashboard.js';

export const DASHBOARD_FILE = 'tourkit-overview.json';

/** The dashboard as a ConfigMap the Grafana sidecar picks up, and the alert rules as a PrometheusRule. */
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
      data: { [DASHBOARD_FILE]: dashboardJson(services) },
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
        spec: { groups: [{ name: 'tourkit.rules', rules: alertRules(options.namespace) }] },
      });
    }
  }
}
