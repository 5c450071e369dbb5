import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Json } from './synth.js';
import { buildDashboards, queries } from '../src/observability/dashboard.js';
import { panelQueries, sourceOf, withVariables } from '../src/observability/panel-queries.js';
import { SERVICES } from '../src/services.js';

const dashboards = buildDashboards(SERVICES);
const byFile = (file: string) => dashboards.find((d) => d.file === file)!.dashboard as Json;

describe('generated dashboards', () => {
  it('are five, each with its own uid, the data source and namespace variables, and unique panel ids', () => {
    expect(dashboards.map((d) => d.file)).toEqual([
      'tourkit-overview.json',
      'tourkit-catalog.json',
      'tourkit-booking.json',
      'tourkit-user.json',
      'tourkit-scaling.json',
    ]);
    expect(new Set(dashboards.map((d) => d.dashboard.uid)).size).toBe(dashboards.length);
    for (const { dashboard } of dashboards) {
      const names = (dashboard.templating.list ?? []).map((v) => v.name);
      expect(names).toEqual(['datasource', 'namespace']);
      const ids = (dashboard.panels ?? []).map((p) => (p as Json).id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('query Prometheus through the data source variable, in every panel that is not a row', () => {
    for (const { dashboard } of dashboards)
      for (const panel of (dashboard.panels ?? []) as Json[]) {
        if (panel.type === 'row') continue;
        expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(panel.targets.length).toBeGreaterThan(0);
        for (const t of panel.targets) expect(t.expr).toContain('namespace="$namespace"');
      }
  });

  it('lay panels out left to right without overlap, inside 24 columns', () => {
    for (const { dashboard } of dashboards) {
      const cells = new Set<string>();
      for (const panel of (dashboard.panels ?? []) as Json[]) {
        const { x, y, w, h } = panel.gridPos;
        expect(x + w).toBeLessThanOrEqual(24);
        for (let i = x; i < x + w; i++)
          for (let j = y; j < y + h; j++) {
            expect(cells.has(`${i},${j}`)).toBe(false);
            cells.add(`${i},${j}`);
          }
      }
    }
  });

  it('overview: a status (UP/DOWN) per service, then RED panels and replicas per service', () => {
    const overview = byFile('tourkit-overview.json');
    const titles = overview.panels.map((p: Json) => p.title);
    for (const s of SERVICES) {
      const status = overview.panels.find((p: Json) => p.type === 'stat' && p.title === s.name);
      expect(status.targets[0].expr).toBe(queries(s.name).up);
      const texts = status.fieldConfig.defaults.mappings.map((m: Json) => m.options.result.text);
      expect(texts).toEqual(['UP', 'DOWN']);
      for (const suffix of ['requests/s', '5xx ratio', 'latency'])
        expect(titles).toContain(`${s.name}: ${suffix}`);
    }
    const booking = overview.panels.find((p: Json) => p.title === 'booking: replicas (HPA)');
    expect(booking.targets.map((t: Json) => t.legendFormat)).toEqual(['current', 'min', 'max']);
    expect(booking.targets[2].expr).toBe(queries('booking').maxReplicas);
    expect(titles).toContain('user: replicas (fixed)');
  });

  it('per profile: catalog cache hit ratio, booking saga states, queue and circuit, user latency', () => {
    const titles = (file: string) => byFile(file).panels.map((p: Json) => p.title);
    expect(titles('tourkit-catalog.json')).toContain('catalog: cache hit ratio');
    expect(titles('tourkit-booking.json')).toEqual(
      expect.arrayContaining([
        'booking: bookings by status',
        'booking: payment queue',
        'booking: payment circuit (0 closed, 1 half-open, 2 open)',
      ]),
    );
    expect(titles('tourkit-user.json')).toContain('user: latency');
  });

  it('scaling: replicas against HPA and schedule bounds, CPU against target, for every autoscaler', () => {
    const scaling = byFile('tourkit-scaling.json');
    for (const s of SERVICES.filter((x) => x.profile.autoscaling)) {
      const replicas = scaling.panels.find(
        (p: Json) => p.title === `${s.name}: replicas against bounds`,
      );
      expect(replicas.targets.map((t: Json) => t.legendFormat)).toEqual([
        'current',
        'HPA min',
        'HPA max',
        'schedule min',
        'schedule max',
      ]);
      expect(scaling.panels.map((p: Json) => p.title)).toContain(`${s.name}: CPU against target`);
    }
  });

  it('are the files the chart ships (make dashboards)', () => {
    const dir = path.resolve(
      import.meta.dirname,
      '..',
      '..',
      'charts',
      'tourkit',
      'files',
      'dashboards',
    );
    for (const { file, dashboard } of dashboards)
      expect(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))).toEqual(
        JSON.parse(JSON.stringify(dashboard)),
      );
  });

  it('use the kit metric names and the 5xx status class', () => {
    expect(queries('catalog').errors).toContain('status=~"5.."');
    expect(queries('catalog').p99).toContain('http_request_duration_seconds_bucket');
  });
});

describe('panel queries', () => {
  const all = panelQueries(dashboards);

  it('list every target of every panel, with its dashboard and title', () => {
    const targets = dashboards.flatMap(({ dashboard }) =>
      (dashboard.panels ?? []).flatMap((p) => ((p as Json).targets ?? []) as Json[]),
    );
    expect(all).toHaveLength(targets.length);
    expect(all.every((q) => q.expr !== '' && q.panel !== '(untitled)')).toBe(true);
  });

  it('say which need the cluster: kube-state-metrics for replicas and HPA, the operator for schedule bounds', () => {
    const sources = (dashboard: string) =>
      new Set(all.filter((q) => q.dashboard === dashboard).map((q) => q.source));
    expect(sources('tourkit-scaling.json')).toEqual(new Set(['kube-state-metrics', 'operator']));
    expect(sources('tourkit-booking.json')).toEqual(new Set(['services']));
    const overview = all.filter((q) => q.dashboard === 'tourkit-overview.json');
    for (const q of overview)
      expect(q.source).toBe(q.panel.includes('replicas') ? 'kube-state-metrics' : 'services');
    expect(sourceOf('tourkit_scaling_schedule_min_replicas{name="booking"}')).toBe('operator');
    expect(sourceOf('sum(rate(http_requests_total{service="user"}[1m]))')).toBe('services');
  });

  it('substitute the namespace and rate interval as Grafana does', () => {
    expect(
      withVariables(queries('catalog').rate, { namespace: 'tourkit', rateInterval: '20s' }),
    ).toBe('sum(rate(http_requests_total{namespace="tourkit", service="catalog"}[20s]))');
    expect(
      withVariables('up{namespace="${namespace}"}[$__rate_interval]', {
        namespace: 'ns',
        rateInterval: '1m',
      }),
    ).toBe('up{namespace="ns"}[1m]');
  });
});
