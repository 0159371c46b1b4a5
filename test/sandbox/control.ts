import { IncomingMessage, ServerResponse } from 'http';
import { Fault, parseFault } from './faults';
import { RequestLogEntry } from './request-log';

/**
 * The HTTP control API under /_sandbox, for tests that run in another process (the extension host).
 * Control requests are neither logged nor subject to faults or latency.
 *
 *   GET    /_sandbox/requests   the request log (JSON array, oldest first)
 *   DELETE /_sandbox/requests   clear it
 *   POST   /_sandbox/faults     add a Fault (JSON; `times` may be "Infinity" or omitted)
 *   DELETE /_sandbox/faults     remove all faults
 *   POST   /_sandbox/reset      back to the seed
 *   POST   /_sandbox/latency    {"ms": 250}
 *   POST   /_sandbox/git-delay  {"ms": 1500}: wait this long before answering each git request
 *   POST   /_sandbox/revoke     {"token": "..."}: refuse that token from now on (until reset)
 *   POST   /_sandbox/prepare    {"workspace": "demo-user", "slug": "monorepo"}: build its git data now
 *   GET    /_sandbox/info       URLs and demo credentials
 */
export interface ControlTarget {
  readonly requests: RequestLogEntry[];
  clearRequests(): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  resetAndWait(): Promise<void>;
  setLatency(ms: number): void;
  setGitDelay(ms: number): void;
  revokeToken(token: string): void;
  prepareRepository(workspace: string, slug: string): Promise<void>;
  info(): unknown;
}

const MAX_BODY = 64 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  return text.trim() === '' ? {} : JSON.parse(text);
}

export async function handleControl(req: IncomingMessage, res: ServerResponse, pathname: string, target: ControlTarget): Promise<void> {
  const route = `${req.method} ${pathname.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /_sandbox/requests':
        return send(res, 200, target.requests);
      case 'DELETE /_sandbox/requests':
        target.clearRequests();
        return send(res, 204);
      case 'POST /_sandbox/faults':
        target.addFault(parseFault(await readJson(req)));
        return send(res, 201, { ok: true });
      case 'DELETE /_sandbox/faults':
        target.clearFaults();
        return send(res, 204);
      case 'POST /_sandbox/git-delay': {
        const { ms } = (await readJson(req)) as { ms?: unknown };
        if (typeof ms !== 'number' || !(ms >= 0)) return send(res, 400, { error: 'Body must be {"ms": number >= 0}' });
        target.setGitDelay(ms);
        return send(res, 204);
      }
      case 'POST /_sandbox/revoke': {
        const { token } = (await readJson(req)) as { token?: unknown };
        if (typeof token !== 'string' || !token) return send(res, 400, { error: 'Body must be {"token": string}' });
        target.revokeToken(token);
        return send(res, 204);
      }
      case 'POST /_sandbox/reset':
        await target.resetAndWait();
        return send(res, 204);
      case 'POST /_sandbox/latency': {
        const { ms } = (await readJson(req)) as { ms?: unknown };
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
          return send(res, 400, { error: 'Send {"ms": <non-negative number>}' });
        }
        target.setLatency(ms);
        return send(res, 204);
      }
      case 'POST /_sandbox/prepare': {
        const { workspace, slug } = (await readJson(req)) as { workspace?: unknown; slug?: unknown };
        await target.prepareRepository(String(workspace), String(slug));
        return send(res, 204);
      }
      case 'GET /_sandbox/info':
        return send(res, 200, target.info());
      default:
        return send(res, 404, { error: `No control endpoint ${route}` });
    }
  } catch (error) {
    send(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}
