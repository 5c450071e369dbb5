import { paymentLink } from '../../src/domain/outbox-messages.js';

describe('outbox messages', () => {
  test('the payment link points at the public API', () => {
    expect(paymentLink('https://app.example/', 'b-1')).toBe(
      'https://app.example/v1/bookings/b-1/pay',
    );
  });
});
