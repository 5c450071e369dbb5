import { startNotificationRecorder } from '../src/testing.js';

// The recorder stands in for notification in booking's and review's tests: what it accepts,
// refuses and records is what those tests assert on.
describe('notification recorder (@tourkit/notification/testing)', () => {
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/internal/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  test('records each accepted request with its headers; refuses a missing internal token', async () => {
    const recorder = await startNotificationRecorder({ internalToken: 'secret-token' });
    try {
      expect((await post(recorder.url, { type: 'x' })).status).toBe(401);
      const accepted = await post(
        recorder.url,
        { type: 'booking-confirmed', dedupeKey: 'k1' },
        { 'x-internal-token': 'secret-token' },
      );
      expect(accepted.status).toBe(202);
      expect(recorder.received).toHaveLength(1);
      expect(recorder.received[0]!.body).toEqual({ type: 'booking-confirmed', dedupeKey: 'k1' });
      expect(recorder.received[0]!.headers['x-internal-token']).toBe('secret-token');
    } finally {
      await recorder.close();
    }
  });

  test('answers 503 problem+json during an outage and records nothing, then accepts again', async () => {
    const recorder = await startNotificationRecorder();
    try {
      recorder.setOutage(true);
      const refused = await post(recorder.url, { type: 'reminder', dedupeKey: 'k2' });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(recorder.received).toHaveLength(0);
      recorder.setOutage(false);
      expect((await post(recorder.url, { type: 'reminder', dedupeKey: 'k2' })).status).toBe(202);
      expect(recorder.received.map((r) => r.body.dedupeKey)).toEqual(['k2']);
    } finally {
      await recorder.close();
    }
  });
});
