// Writes the course's booking ScalingSchedule as YAML (used by `make preview`).
import { stringify } from 'yaml';
import { bookingSchedule } from '../deploy/manifests.js';

process.stdout.write(
  stringify(bookingSchedule({ namespace: process.argv[2] ?? 'tourkit' }), {
    defaultStringType: 'QUOTE_DOUBLE',
    defaultKeyType: 'PLAIN',
  }),
);
