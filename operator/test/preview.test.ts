import { renderCost, renderSvg, summarizeWeek, weekStart } from '../src/preview/week.js';
import { spec, bookingWindows } from './schedule/fixtures.js';

describe('preview: a week of bounds', () => {
  const booking = spec({ windows: bookingWindows });

  it('covers the week without gaps, Monday 00:00 local to Monday 00:00 local', () => {
    const summary = summarizeWeek(booking, weekStart(booking, { year: 2026, month: 6, day: 8 }));
    expect(summary.segments[0]!.start.toISOString()).toBe('2026-06-07T22:00:00.000Z');
    expect(summary.segments.at(-1)!.end.toISOString()).toBe('2026-06-14T22:00:00.000Z');
    summary.segments.slice(1).forEach((s, i) => expect(s.start).toEqual(summary.segments[i]!.end));
    // 5 × 8 h at 5 + 48 h at 7 + the remaining 80 h at 2
    expect(summary.minReplicaHours).toBe(5 * 8 * 5 + 48 * 7 + 80 * 2);
    expect(summary.staticReplicaHours).toBe(15 * 168);
  });

  it('the week that ends summer time has 169 hours', () => {
    expect(
      summarizeWeek(booking, weekStart(booking, { year: 2026, month: 10, day: 19 })).hours,
    ).toBe(169);
  });

  it('prints cost against a static deployment at the peak and draws both bounds', () => {
    const summary = summarizeWeek(booking, weekStart(booking, { year: 2026, month: 6, day: 8 }));
    expect(renderCost(summary, 0.03)).toContain(
      'static at peak (15 replicas): 2520 replica-hours, $75.60',
    );
    const svg = renderSvg(booking, summary, 'booking');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('Mon 8/6');
  });
});
