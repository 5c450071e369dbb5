/** The schedule's notion of "now"; injectable so that tests can stand at any instant. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock running `offsetMs` ahead of the system clock (env TOURKIT_CLOCK_OFFSET_SECONDS). */
export function offsetClock(offsetMs: number): Clock {
  return offsetMs === 0 ? systemClock : () => new Date(Date.now() + offsetMs);
}
