import { HttpProblem } from '@tourkit/kit';

/** A 422 problem naming the one field at fault (the shape every validation problem has). */
export function unprocessable(slug: string, title: string, field: string, message: string) {
  return new HttpProblem(422, slug, title, { detail: message, errors: [{ field, message }] });
}

export function unknownTour(tourId: string) {
  return unprocessable('unknown-tour', 'Unknown tour', 'tourId', `tour ${tourId} does not exist`);
}
