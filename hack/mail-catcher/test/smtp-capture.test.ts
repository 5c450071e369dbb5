import { createConnection } from 'node:net';
import { startSmtpCapture, type SmtpCapture } from '../src/smtp-capture.js';

// A real SMTP conversation with the catcher, over a socket: what notification's nodemailer does.

/** Sends one message (DATA as given) and resolves with the server's last reply. */
async function sendRaw(port: number, rcpt: string, data: string): Promise<string> {
  const socket = createConnection({ port, host: '127.0.0.1' });
  socket.setEncoding('utf8');
  const replies: string[] = [];
  let buffer = '';
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // A reply ends with a line "NNN text" (a space after the code; "NNN-" continues).
    const lines = buffer.split('\r\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (/^\d{3} /.test(line)) {
        replies.push(line);
        waiting?.();
      }
    }
  });
  const reply = (send?: string) =>
    new Promise<string>((resolve) => {
      const count = replies.length;
      waiting = () => {
        if (replies.length > count) resolve(replies[replies.length - 1]!);
      };
      if (send !== undefined) socket.write(send);
    });
  await reply(); // greeting
  await reply('EHLO test\r\n');
  await reply('MAIL FROM:<no-reply@example.test>\r\n');
  await reply(`RCPT TO:<${rcpt}>\r\n`);
  await reply('DATA\r\n');
  const accepted = await reply(`${data}\r\n.\r\n`);
  await reply('QUIT\r\n');
  socket.end();
  return accepted;
}

const message = (messageId: string | undefined, subject: string) =>
  [
    ...(messageId ? [`Message-ID: ${messageId}`] : []),
    `Subject: ${subject}`,
    'To: ada@example.test',
    '',
    'Your booking is confirmed.',
  ].join('\r\n');

describe('startSmtpCapture (a real SMTP server)', () => {
  let smtp: SmtpCapture;
  beforeEach(async () => {
    smtp = await startSmtpCapture();
  });
  afterEach(() => smtp.stop());

  test('keeps the first message of a Message-ID and counts its retransmissions', async () => {
    const id = '<0123abcd@e2e.tourkit.test>';
    expect(await sendRaw(smtp.port, 'ada@example.test', message(id, 'first'))).toMatch(/^250 /);
    // The sender did not hear the 250 and sent it again: accepted too, as a real MTA would.
    expect(await sendRaw(smtp.port, 'ada@example.test', message(id, 'again'))).toMatch(/^250 /);
    await sendRaw(smtp.port, 'ada@example.test', message(id, 'and again'));
    await sendRaw(smtp.port, 'ada@example.test', message('<other@e2e.tourkit.test>', 'other'));
    expect(smtp.messages.map((m) => [m.messageId, m.subject, m.retransmissions])).toEqual([
      [id, 'first', 2],
      ['<other@e2e.tourkit.test>', 'other', 0],
    ]);
  });

  test('keeps every message without a Message-ID', async () => {
    await sendRaw(smtp.port, 'ada@example.test', message(undefined, 'one'));
    await sendRaw(smtp.port, 'ada@example.test', message(undefined, 'two'));
    expect(smtp.messages.map((m) => [m.subject, m.retransmissions])).toEqual([
      ['one', 0],
      ['two', 0],
    ]);
  });

  test('waitFor sees a retransmission arrive', async () => {
    const id = '<wait@e2e.tourkit.test>';
    await sendRaw(smtp.port, 'ada@example.test', message(id, 'first'));
    const retransmitted = smtp.waitFor((messages) => messages[0]!.retransmissions === 1, 10_000);
    await sendRaw(smtp.port, 'ada@example.test', message(id, 'again'));
    await retransmitted;
  });
});
