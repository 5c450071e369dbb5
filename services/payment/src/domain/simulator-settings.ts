import { z } from 'zod';

/** How the simulated provider misbehaves. */
export interface SimulatorSettings {
  /** Share of calls that fail as "provider unavailable" (0..1). */
  failureRate: number;
  /** Share of charges the provider declines (0..1). */
  declineRate: number;
  /** Added to every provider call. */
  latencyMs: number;
  /** Every call fails as "provider unavailable", and the health check fails. */
  outage: boolean;
  /**
   * Share of calls the provider carries out but whose answer is lost (as after a timeout or a
   * dropped connection): the caller sees an unknown outcome (0..1).
   */
  loseResponseRate: number;
}

export const simulatorSettingsPatchSchema = z.strictObject({
  failureRate: z
    .number({ message: 'must be a number' })
    .min(0, 'must be ≥ 0')
    .max(1, 'must be ≤ 1')
    .optional(),
  declineRate: z
    .number({ message: 'must be a number' })
    .min(0, 'must be ≥ 0')
    .max(1, 'must be ≤ 1')
    .optional(),
  latencyMs: z
    .number({ message: 'must be an integer' })
    .int('must be an integer')
    .min(0, 'must be ≥ 0')
    .max(60_000, 'must be ≤ 60000')
    .optional(),
  outage: z.boolean({ message: 'must be true or false' }).optional(),
  loseResponseRate: z
    .number({ message: 'must be a number' })
    .min(0, 'must be ≥ 0')
    .max(1, 'must be ≤ 1')
    .optional(),
});

export type SimulatorSettingsPatch = z.output<typeof simulatorSettingsPatchSchema>;

export function applySettingsPatch(
  current: SimulatorSettings,
  patch: SimulatorSettingsPatch,
): SimulatorSettings {
  return {
    failureRate: patch.failureRate ?? current.failureRate,
    declineRate: patch.declineRate ?? current.declineRate,
    latencyMs: patch.latencyMs ?? current.latencyMs,
    outage: patch.outage ?? current.outage,
    loseResponseRate: patch.loseResponseRate ?? current.loseResponseRate,
  };
}

export type SimulatedOutcome = 'ok' | 'unavailable' | 'declined' | 'lost';

/**
 * What one simulated call does, from the settings and a random draw in [0, 1). Failure is drawn
 * before decline, and decline before a lost answer, so that failureRate 1 always means
 * "unavailable" and loseResponseRate 1 (with the others 0) always "carried out, answer lost".
 * Refunds are never declined.
 */
export function simulatedOutcome(
  settings: SimulatorSettings,
  draw: number,
  operation: 'charge' | 'refund',
): SimulatedOutcome {
  if (settings.outage) return 'unavailable';
  if (draw < settings.failureRate) return 'unavailable';
  const declineRate = operation === 'charge' ? settings.declineRate : 0;
  if (draw < settings.failureRate + declineRate) return 'declined';
  if (draw < settings.failureRate + declineRate + settings.loseResponseRate) return 'lost';
  return 'ok';
}
