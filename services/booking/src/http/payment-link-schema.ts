import { z } from 'zod';

/** The token of a payment link (`<expiry>.<mac>`, about 52 characters); its checks are the domain's. */
const token = z
  .string({ message: 'must be the token of your payment link' })
  .min(1, 'must be the token of your payment link')
  .max(128, 'must be the token of your payment link');

export const paymentLinkParams = z.object({
  bookingId: z.uuid({ message: 'must be a booking id (UUID)' }),
});
export const paymentLinkQuery = z.object({ t: token });
export const paymentLinkBody = z.strictObject({ t: token });
