import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_BASE_URI, PROBLEM_CONTENT_TYPE } from './errors.js';

/** What Node's HTTP parser reports, and the problem a client gets for it. */
const PARSER_PROBLEMS: Record<string, { status: number; slug: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    slug: 'request-header-fields-too-large',
    detail: 'The request line or headers are too large.',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    slug: 'payload-too-large',
    detail: 'The chunk extensions are too large.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    slug: 'request-timeout',
    detail: 'The request did not arrive in time.',
  },
};

const NOT_HTTP = {
  status: 400,
  slug: 'bad-request',
  detail:
    'The request is not valid HTTP/1.1 (e.g. a byte outside ASCII in the URL, which must be percent-encoded).',
};

/**
 * Answers a request Node's parser refuses (bytes outside ASCII in the URL, headers over the size
 * limit, a malformed request line) with a problem+json, like every other 4xx, instead of Node's bare
 * `400 Bad Request` without a body. There is no request or response object at this point: the answer
 * is written to the socket, which is then closed (the stream's framing can no longer be trusted).
 */
export function answerClientErrorsWithProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or half-written request: nobody is left to read an answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, slug, detail } = (error.code && PARSER_PROBLEMS[error.code]) || NOT_HTTP;
    const title = STATUS_CODES[status] ?? 'Bad request';
    const body = JSON.stringify({ type: `${PROBLEM_BASE_URI}${slug}`, title, status, detail });
    socket.end(
      [
        `HTTP/1.1 ${status} ${title}`,
        `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
}
