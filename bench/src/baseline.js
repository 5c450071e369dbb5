// The bench's reference points: the smallest Express app, no middleware. Plain JavaScript so that
// node runs it as is: a TypeScript loader (tsx, or node's type stripping) would add 15–30 MiB to
// the very memory it is the baseline for. GET /hello is the hello-world; GET /page sends the bytes
// last PUT to /page (the bench puts the catalog's search page there, so the same bytes travel
// without any of the service's work).
import { Buffer } from 'node:buffer';
import process from 'node:process';
import express from 'express';

const app = express();
/** @type {Buffer} */
let page = Buffer.from('{}');
app.get('/hello', (_req, res) => {
  res.json({ hello: 'world' });
});
app.put('/page', express.raw({ type: '*/*', limit: '1mb' }), (req, res) => {
  page = req.body;
  res.status(204).end();
});
app.get('/page', (_req, res) => {
  res.type('application/json; charset=utf-8').send(page);
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
