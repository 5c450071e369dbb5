/** A message as an SMTP catcher received it, with the few headers a person or a test looks at. */
export interface CapturedMail {
  receivedAt: string;
  /**
   * How many more times a message with this Message-ID arrived after this one: the mailbox keeps
   * the first and counts the rest, as mail stores that de-duplicate by Message-ID do.
   */
  retransmissions: number;
  envelope: { from: string; to: string[] };
  messageId: string | undefined;
  subject: string;
  to: string;
  headers: Record<string, string>;
  /** The whole message with quoted-printable and base64 bodies decoded (good enough to search). */
  body: string;
  raw: string;
}

/** Header block → lower-case name → unfolded value (the last occurrence wins). */
export function parseHeaders(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end === -1 ? raw : raw.slice(0, end);
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** RFC 2047 encoded words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=) → text. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_match, _charset: string, encoding: string, text: string) => {
        if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
        const bytes = text
          .replace(/_/g, ' ')
          .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => `%${hex}`);
        try {
          return decodeURIComponent(bytes);
        } catch {
          return text;
        }
      },
    );
}

export function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Decodes each MIME part's body by its Content-Transfer-Encoding; keeps the rest as is. */
export function readableBody(raw: string): string {
  const parts = raw.split(/\r?\n(?=--)/);
  return parts
    .map((part) => {
      const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(part)?.[1]?.toLowerCase();
      const split = part.search(/\r?\n\r?\n/);
      if (!encoding || split === -1) return part;
      const head = part.slice(0, split);
      const body = part.slice(split).trim();
      if (encoding === 'quoted-printable') return `${head}\n\n${decodeQuotedPrintable(body)}`;
      if (encoding === 'base64')
        return `${head}\n\n${Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')}`;
      return part;
    })
    .join('\n');
}

export function toCapturedMail(
  raw: string,
  envelope: { from: string; to: string[] },
): CapturedMail {
  const headers = parseHeaders(raw);
  return {
    receivedAt: new Date().toISOString(),
    retransmissions: 0,
    envelope,
    messageId: headers['message-id'],
    subject: decodeEncodedWords(headers.subject ?? ''),
    to: decodeEncodedWords(headers.to ?? ''),
    headers,
    body: readableBody(raw),
    raw,
  };
}

/**
 * Files a received message in the mailbox: a Message-ID already there is a retransmission (the
 * sender did not hear our 250 and sent it again), counted on the first copy; a message without a
 * Message-ID is always new.
 */
export function fileInMailbox(
  mailbox: CapturedMail[],
  mail: CapturedMail,
): 'new' | 'retransmission' {
  const first =
    mail.messageId === undefined
      ? undefined
      : mailbox.find((kept) => kept.messageId === mail.messageId);
  if (first === undefined) {
    mailbox.push(mail);
    return 'new';
  }
  first.retransmissions += 1;
  return 'retransmission';
}
