import { randomUUID } from 'node:crypto';
import { messageIdFor } from '../../src/domain/notification.js';
import { eventually, startHarness, type Harness } from './harness.js';

// The people and the tour the delivery tests write to, as user and catalog would answer for them.
export const ada = { id: randomUUID(), email: 'ada@example.com', name: 'Ada', country: 'FR' };
export const bob = { id: randomUUID(), email: 'bob@example.com', name: 'Bob', country: 'GB' };
export const louvre = {
  id: randomUUID(),
  title: 'Louvre at night',
  destination: 'Paris',
  startsAt: '2030-05-12T19:00:00.000Z',
  operatorEmail: 'operator+paris@tourkit.dev',
};

/**
 * A notification service (worker running) whose upstreams know ada, bob and louvre, for the calling
 * file's or describe's tests: started before them, stopped after; `t.h` is set by then.
 */
export function deliveryForFile(name: string): { h: Harness } {
  const file = {} as { h: Harness };
  beforeAll(async () => {
    file.h = await startHarness(name);
    file.h.upstreams.users.set(ada.id, ada);
    file.h.upstreams.users.set(bob.id, bob);
    file.h.upstreams.tours.set(louvre.id, louvre);
  });
  afterAll(async () => {
    await file.h?.stop();
  });
  return file;
}

/** The e-mails SMTP received for a dedupe key. */
export function mailWithKey(h: Harness, key: string) {
  const id = messageIdFor(key, h.service.config.MESSAGE_ID_DOMAIN);
  return h.smtp.messages.filter((mail) => mail.messageId === id);
}

/** The notification's row once it is sent. */
export async function deliveredRow(h: Harness, id: string) {
  await eventually(async () => (await h.service.store.get(id))?.status === 'sent');
  return (await h.service.store.get(id))!;
}
