import { randomUUID } from 'node:crypto';
import { contextFor, NoRecipientError, recipientFor } from '../../src/background/compose-email.js';
import { notificationRequestSchema } from '../../src/domain/notification.js';

const tour = {
  id: 't1',
  title: 'Louvre <b>at night</b>',
  destination: 'Paris',
  startsAt: '2030-05-12T19:00:00.000Z',
};

describe('recipients', () => {
  const request = (type: string, extra: object = {}) =>
    notificationRequestSchema.parse({
      type,
      dedupeKey: 'k',
      userId: randomUUID(),
      tourId: randomUUID(),
      ...extra,
    });
  const user = { id: 'u', email: 'ada@example.com', name: 'Ada', country: 'FR' };
  const operatorTour = { ...tour, operatorEmail: 'op@example.com' };

  it('sends to the explicit e-mail first, else by type', () => {
    expect(
      recipientFor(request('reminder', { email: 'x@example.com' }), { user }, 's@x.test'),
    ).toBe('x@example.com');
    expect(recipientFor(request('reminder'), { user }, 's@x.test')).toBe('ada@example.com');
    expect(recipientFor(request('support-alert'), { user }, 's@x.test')).toBe('s@x.test');
    expect(recipientFor(request('review-posted'), { user, tour: operatorTour }, 's@x.test')).toBe(
      'op@example.com',
    );
    expect(() => recipientFor(request('review-posted'), { tour }, 's@x.test')).toThrow(
      NoRecipientError,
    );
  });

  it('does not greet the operator with the reviewer’s name', () => {
    expect(
      contextFor(request('review-posted'), { user, tour: operatorTour }).recipientName,
    ).toBeUndefined();
    expect(contextFor(request('reminder'), { user, tour: operatorTour }).recipientName).toBe('Ada');
  });
});
