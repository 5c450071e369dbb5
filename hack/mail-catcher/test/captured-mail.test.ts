import { decodeEncodedWords, decodeQuotedPrintable, parseHeaders } from '../src/captured-mail.js';
import { renderInbox } from '../src/inbox-page.js';

describe('captured mail', () => {
  it('reads folded headers, encoded words and quoted-printable', () => {
    const raw =
      'Subject: =?UTF-8?Q?R=C3=A9servation?=\r\n =?UTF-8?Q?_confirm=C3=A9e?=\r\nMessage-ID: <a@b>\r\n\r\nbody';
    const headers = parseHeaders(raw);
    expect(headers['message-id']).toBe('<a@b>');
    expect(decodeEncodedWords(headers.subject!)).toBe('Réservation confirmée');
    expect(decodeQuotedPrintable('caf=C3=A9 au=\r\n lait')).toBe('café au lait');
  });

  it('lists messages newest first, escaped', () => {
    const mail = (subject: string, retransmissions = 0) => ({
      receivedAt: '2030-01-01T00:00:00.000Z',
      retransmissions,
      envelope: { from: 'a@x', to: ['b@x'] },
      messageId: '<m@x>',
      subject,
      to: 'b@x',
      headers: {},
      body: '<script>',
      raw: '',
    });
    const page = renderInbox([mail('first', 2), mail('second')]);
    expect(page.indexOf('second')).toBeLessThan(page.indexOf('first'));
    expect(page).toContain('2 retransmission(s) of them not kept');
    expect(page).toContain('retransmitted 2 time(s)');
    expect(page).toContain('&lt;script&gt;');
    expect(page).not.toContain('<script>');
  });
});
