import type { Json } from './synth.js';
import { buildDashboard, queries } from '../src/observability/dashboard.js';
import { SERVICES } from '../src/services.js';

describe('generated dashboard', () => {
  const dashboard = buildDashboard(SERVICES) as { panels: Json[]; uid: string };

  it('has RED panels and a replicas panel per service, with unique ids', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const titles = dashboard.panels.map((p) => p.title);
    for (const s of SERVICES)
      for (const suffix of ['requests/s', '5xx ratio', 'latency'])
        expect(titles).toContain(`${s.name}: ${suffix}`);
  });

  it('plots HPA current replicas against min and max where there is an autoscaler', () => {
    const booking = dashboard.panels.find((p) => p.title === 'booking: replicas (HPA)');
    expect(booking.targets.map((t: Json) => t.legendFormat)).toEqual(['current', 'min', 'max']);
    expect(booking.targets[2].expr).toBe(queries('booking').maxReplicas);
    expect(dashboard.panels.find((p) => p.title === 'user: replicas (fixed)')).toBeDefined();
  });

  it('uses the kit metric names and the 5xx status class', () => {
    expect(queries('catalog').errors).toContain('status=~"5.."');
    expect(queries('catalog').p99).toContain('http_request_duration_seconds_bucket');
  });
});
