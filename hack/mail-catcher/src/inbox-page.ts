import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '@tourkit/kit';
import type { CapturedMail } from './captured-mail.js';

/** The page: newest first, each message's headers and decoded body (escaped). */
export function renderInbox(messages: readonly CapturedMail[]): string {
  const items = [...messages]
    .map((mail, index) => ({ mail, index }))
    .reverse()
    .map(
      ({ mail, index }) => `<details><summary><b>${escapeHtml(mail.subject || '(no subject)')}</b>
 — to ${escapeHtml(mail.envelope.to.join(', '))} — ${escapeHtml(mail.receivedAt)}${
   mail.retransmissions > 0 ? ` — retransmitted ${mail.retransmissions} time(s)` : ''
 }
 — <a href="/messages/${index}/raw">raw</a></summary>
<pre>${escapeHtml(`Message-ID: ${mail.messageId ?? ''}\n\n${mail.body}`)}</pre></details>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Tourkit mail (${messages.length})</title>
<meta http-equiv="refresh" content="5"></head>
<body style="font-family:sans-serif"><h1>Tourkit mail catcher</h1>
<p>${messages.length} message(s), ${retransmissions(messages)} retransmission(s) of them not kept
(same Message-ID). JSON: <a href="/messages">/messages</a></p>${items}</body></html>`;
}

function retransmissions(messages: readonly CapturedMail[]): number {
  return messages.reduce((total, mail) => total + mail.retransmissions, 0);
}

export function inboxHandler(messages: CapturedMail[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const raw = /^\/messages\/(\d+)\/raw$/.exec(path);
    if (path === '/messages' && req.method === 'DELETE') {
      messages.length = 0;
      res.writeHead(204).end();
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderInbox(messages));
    } else if (path === '/messages') {
      const list = messages.map(({ raw: _raw, ...mail }) => mail);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list));
    } else if (raw && messages[Number(raw[1])]) {
      res
        .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        .end(messages[Number(raw[1])]!.raw);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };
}
