import { validateSpec } from '../../src/schedule/validate.js';
import type { ScalingScheduleSpec, ScalingScheduleSpecInput } from '../../src/schedule/schema.js';

export function spec(partial: Partial<ScalingScheduleSpecInput> = {}): ScalingScheduleSpec {
  const result = validateSpec({
    targetRef: { kind: 'HorizontalPodAutoscaler', name: 'booking' },
    timeZone: 'Europe/Paris',
    default: { minReplicas: 2, maxReplicas: 4 },
    ...partial,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

export const bookingWindows: ScalingScheduleSpecInput['windows'] = [
  {
    name: 'business-hours',
    days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'],
    start: '09:00',
    end: '17:00',
    minReplicas: 5,
    maxReplicas: 10,
    priority: 10,
  },
  {
    name: 'weekend',
    days: ['Sat', 'Sun'],
    start: '00:00',
    end: '24:00',
    minReplicas: 7,
    maxReplicas: 15,
    priority: 20,
  },
];
