import {
  escapeHtml,
  legendOf,
  matrixToSeries,
  rateIntervalFor,
  reportCharts,
  reportHtml,
  stepFor,
} from '../src/report/index.js';
import { lineChartSpec, renderSvg } from '../src/report/render.js';

describe('report charts', () => {
  const charts = reportCharts({ namespace: 'shop', rateInterval: '20s', entryService: 'gateway' });

  it('are requests, errors, latency percentiles, replicas, CPU and schedule bounds', () => {
    expect(charts.map((c) => c.id)).toEqual([
      'requests',
      'errors',
      'latency',
      'replicas',
      'cpu',
      'schedule',
    ]);
  });

  it('query only the given namespace, with the rate window given', () => {
    for (const chart of charts)
      for (const { queries } of chart.alternatives)
        for (const { expr } of queries) {
          expect(expr).toContain('namespace="shop"');
          if (expr.includes('rate(')) expect(expr).toContain('[20s]');
        }
  });

  it("draw the cluster's replica counts first, else the instances Prometheus scraped", () => {
    const replicas = charts.find((c) => c.id === 'replicas')!;
    expect(replicas.alternatives.map((a) => a.queries[0]!.expr)).toEqual([
      'sum by (deployment) (kube_deployment_status_replicas_available{namespace="shop"})',
      'sum by (service) (up{namespace="shop"})',
    ]);
  });

  it('name series by a label or by a fixed text', () => {
    expect(legendOf('{{service}}', { service: 'booking' })).toBe('booking');
    expect(legendOf('{{name}} max', { name: 'booking' })).toBe('booking max');
    expect(legendOf('p99', { service: 'x' })).toBe('p99');
  });

  it('step about 240 points across the window, never under the scrape interval, and rate over four steps', () => {
    expect(stepFor(0, 60_000, 5)).toBe(5);
    expect(stepFor(0, 3_600_000, 5)).toBe(15);
    expect(rateIntervalFor(15, 5)).toBe('60s');
    expect(rateIntervalFor(1, 5)).toBe('20s');
  });
});

describe('Prometheus matrix', () => {
  it('becomes series in milliseconds, without NaN (an empty histogram) or empty series', () => {
    expect(
      matrixToSeries([
        {
          metric: { service: 'a' },
          values: [
            [1_700_000_000.5, '1.5'],
            [1_700_000_001, 'NaN'],
          ],
        },
        { metric: { service: 'b' }, values: [[1_700_000_000, 'NaN']] },
      ]),
    ).toEqual([{ labels: { service: 'a' }, samples: [{ time: 1_700_000_000_500, value: 1.5 }] }]);
  });
});

describe('report page', () => {
  it('draws each series as SVG on the server, named in the legend', async () => {
    const svg = await renderSvg(
      lineChartSpec(
        [
          { time: 0, value: 1, series: 'catalog' },
          { time: 5_000, value: 3, series: 'catalog' },
          { time: 0, value: 2, series: 'booking' },
          { time: 5_000, value: 1, series: 'booking' },
        ],
        'requests/s',
      ),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>catalog<');
    expect(svg).toContain('>booking<');
    expect(svg).toContain('requests/s');
  });

  it('says why a chart is empty, links the load test summaries and escapes what it prints', () => {
    const html = reportHtml({
      fromMs: Date.UTC(2026, 11, 7, 15, 0, 0),
      toMs: Date.UTC(2026, 11, 7, 15, 5, 0),
      prometheusUrl: 'http://127.0.0.1:9090',
      namespace: 'tourkit',
      charts: [
        { id: 'cpu', title: 'CPU', svg: '<svg></svg>', caption: 'cores', queries: ['a{x="<y>"}'] },
        { id: 'schedule', title: 'Bounds', svg: null, caption: 'runs on a cluster', queries: [] },
      ],
      summaries: [
        { name: 'booking-peak', href: '../loadtests/results/booking-peak.txt', passed: false },
      ],
    });
    expect(html).toContain('2026-12-07 15:00:00 UTC to 2026-12-07 15:05:00 UTC (5 min)');
    expect(html).toContain('<p class="empty">runs on a cluster</p>');
    expect(html).toContain('a{x=&quot;&lt;y&gt;&quot;}');
    expect(html).toContain(
      '<a href="../loadtests/results/booking-peak.txt">booking-peak</a> <span class="failed">',
    );
    expect(escapeHtml(`<a href='x'>&`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;');
  });
});
