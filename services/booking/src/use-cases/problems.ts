import { unprocessable } from '@tourkit/kit';

export function unknownTour(tourId: string) {
  return unprocessable('unknown-tour', 'Unknown tour', 'tourId', `tour ${tourId} does not exist`);
}
