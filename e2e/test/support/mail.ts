import type { CapturedMail } from '@tourkit/mail-catcher';
import { messageIdFor } from '@tourkit/notification/testing';
import { MESSAGE_ID_DOMAIN } from './platform.js';

export type { CapturedMail };

/** The Message-ID notification gives the e-mail of a dedupe key (e.g. `booking-confirmed:<id>`). */
export function messageIdOf(dedupeKey: string): string {
  return messageIdFor(dedupeKey, MESSAGE_ID_DOMAIN);
}

/** Every captured e-mail of that dedupe key (more than one would be a duplicate send). */
export function mailsOf(messages: readonly CapturedMail[], dedupeKey: string): CapturedMail[] {
  const id = messageIdOf(dedupeKey);
  return messages.filter((mail) => mail.messageId === id);
}

/**
 * Message-ID → how many times it was delivered: the catcher keeps the first message of a
 * Message-ID and counts the retransmissions on it, so a resend still shows here.
 */
export function countByMessageId(messages: readonly CapturedMail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of messages) {
    const id = mail.messageId ?? '(none)';
    counts.set(id, (counts.get(id) ?? 0) + 1 + mail.retransmissions);
  }
  return counts;
}
