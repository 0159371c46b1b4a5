/**
 * Large files (Open Without Cloning) are read as a stream over a real socket: progress as bytes arrive, a
 * timeout that counts from the last bytes rather than from the request (a slow but steady download
 * finishes), a stalled one that still times out, and a declared size past the file cap refused unread.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BitbucketError } from '../../src/bitbucket/errors';
import { BitbucketHttp, MAX_FILE_BYTES } from '../../src/bitbucket/http';

const CHUNK = 256 * 1024;
const CHUNKS = 12;
const TIMEOUT_MS = 400;

let server: http.Server;
let base: string;

before(async () => {
  server = http.createServer((req, res) => {
    const send = (count: number, gapMs: number, stallAfter?: number) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(CHUNK * count) });
      let sent = 0;
      const next = () => {
        if (res.destroyed) return;
        if (sent === stallAfter) return; // never another byte
        res.write(Buffer.alloc(CHUNK, sent % 251));
        sent++;
        if (sent === count) res.end();
        else setTimeout(next, gapMs);
      };
      next();
    };
    if (req.url?.startsWith('/2.0/steady')) send(CHUNKS, 100);
    else if (req.url?.startsWith('/2.0/stalls')) send(CHUNKS, 20, 2);
    else if (req.url?.startsWith('/2.0/huge')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(MAX_FILE_BYTES + 1) });
      res.write(Buffer.alloc(1024));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/2.0`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = () => new BitbucketHttp({ baseUrl: base, timeoutMs: TIMEOUT_MS, retry: { maxRetries: 0 } });

describe('BitbucketHttp.getBytes streaming', () => {
  it('reports progress as a slow but steady file arrives, past the request timeout, and returns every byte', async () => {
    const reports: [number, number | undefined][] = [];
    const started = Date.now();
    const answer = await client().getBytes('steady', { onProgress: (received, total) => reports.push([received, total]) });
    assert.ok(Date.now() - started > 2 * TIMEOUT_MS, 'the whole download took longer than one timeout');
    assert.equal(answer.bytes.length, CHUNK * CHUNKS);
    assert.equal(answer.bytes[CHUNK * 5], 5, 'the bytes are the ones sent, in order');
    assert.ok(reports.length >= CHUNKS, `one report per piece at least: ${reports.length}`);
    assert.ok(
      reports.every(([received], index) => index === 0 || received > reports[index - 1][0]),
      'received only grows',
    );
    assert.deepEqual(reports[reports.length - 1], [CHUNK * CHUNKS, CHUNK * CHUNKS], 'the last report is the whole, of the declared size');
  });

  it('times out a download that stops sending, saying so', async () => {
    await assert.rejects(
      client().getBytes('stalls', { onProgress: () => undefined }),
      (error: unknown) => error instanceof BitbucketError && error.kind === 'timeout' && /did not answer/.test(error.message),
    );
  });

  it('refuses a file declared larger than the cap before reading it', async () => {
    await assert.rejects(
      client().getBytes('huge'),
      (error: unknown) => error instanceof BitbucketError && /unexpectedly large answer/.test(error.message),
    );
  });
});
