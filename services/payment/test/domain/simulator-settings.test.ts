import { applySettingsPatch, simulatedOutcome } from '../../src/domain/simulator-settings.js';

const calm = { failureRate: 0, declineRate: 0, latencyMs: 0, outage: false, loseResponseRate: 0 };

describe('simulated outcome', () => {
  test('an outage fails every call, whatever the draw', () => {
    expect(simulatedOutcome({ ...calm, outage: true }, 0.999, 'charge')).toBe('unavailable');
    expect(simulatedOutcome({ ...calm, outage: true }, 0.999, 'refund')).toBe('unavailable');
  });

  test('failure rate 1 always fails; 0 never does', () => {
    for (const draw of [0, 0.5, 0.999]) {
      expect(simulatedOutcome({ ...calm, failureRate: 1 }, draw, 'charge')).toBe('unavailable');
      expect(simulatedOutcome(calm, draw, 'charge')).toBe('ok');
    }
  });

  test('failures and declines partition the draw; refunds are never declined', () => {
    const settings = { ...calm, failureRate: 0.2, declineRate: 0.3 };
    expect(simulatedOutcome(settings, 0.1, 'charge')).toBe('unavailable');
    expect(simulatedOutcome(settings, 0.4, 'charge')).toBe('declined');
    expect(simulatedOutcome(settings, 0.4, 'refund')).toBe('ok');
    expect(simulatedOutcome(settings, 0.6, 'charge')).toBe('ok');
  });

  test('a lost answer comes after failures and declines; loseResponseRate 1 loses every answer', () => {
    const settings = { ...calm, failureRate: 0.2, declineRate: 0.3, loseResponseRate: 0.25 };
    expect(simulatedOutcome(settings, 0.6, 'charge')).toBe('lost');
    expect(simulatedOutcome(settings, 0.8, 'charge')).toBe('ok');
    // No decline band for refunds: the lost band starts right after the failures.
    expect(simulatedOutcome(settings, 0.3, 'refund')).toBe('lost');
    expect(simulatedOutcome(settings, 0.5, 'refund')).toBe('ok');
    for (const draw of [0, 0.5, 0.999])
      expect(simulatedOutcome({ ...calm, loseResponseRate: 1 }, draw, 'refund')).toBe('lost');
  });

  test('a patch changes only the fields it names', () => {
    expect(applySettingsPatch(calm, { outage: true })).toEqual({ ...calm, outage: true });
    expect(applySettingsPatch({ ...calm, latencyMs: 20 }, { failureRate: 0.5 })).toEqual({
      ...calm,
      latencyMs: 20,
      failureRate: 0.5,
    });
  });
});
