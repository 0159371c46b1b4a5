import { ServerResponse } from 'http';
import { errorBody, genericErrorBody, MESSAGES } from './errors';

/** A planned misbehaviour for API requests (paths under /2.0); control and git requests never see one. */
export type Fault = {
  /** Substring of the request path (including the /2.0 prefix); absent = any API request. */
  match?: string;
  method?: string;
  /** How many matching requests it hits; default 1; Infinity allowed. */
  times?: number;
  kind: FaultKind;
  /** For 'status' (e.g. 500, 502, 503, 404, 410) and 'html' (default 200). */
  status?: number;
  /** For 'rate-limit'; absent = no Retry-After header, as Bitbucket often does. */
  retryAfterSeconds?: number;
  /** For 'delay': wait this long, then handle the request normally. */
  delayMs?: number;
  /** For 'oversized': how many bytes of JSON-looking body to send; default 64 MiB. */
  bytes?: number;
  /** For 'oversized': announce the size in Content-Length (true, the default) or send it chunked. */
  contentLength?: boolean;
};

export type FaultKind = 'status' | 'rate-limit' | 'html' | 'drop' | 'malformed-json' | 'invalid-shape' | 'delay' | 'oversized';

const KINDS: readonly FaultKind[] = ['status', 'rate-limit', 'html', 'drop', 'malformed-json', 'invalid-shape', 'delay', 'oversized'];

interface ArmedFault {
  fault: Fault;
  remaining: number;
}

export class FaultList {
  private armed: ArmedFault[] = [];

  add(fault: Fault): void {
    this.armed.push({ fault: { ...fault }, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  /**
   * Uses up the faults that hit this request: every matching 'delay' (their waits add up), then at most
   * one other fault, which decides the response.
   */
  take(method: string, path: string): { delayMs: number; fault?: Fault } {
    let delayMs = 0;
    for (const entry of this.armed) {
      if (entry.remaining <= 0 || !matches(entry.fault, method, path)) {
        continue;
      }
      entry.remaining--;
      if (entry.fault.kind === 'delay') {
        delayMs += entry.fault.delayMs ?? 0;
        continue;
      }
      this.prune();
      return { delayMs, fault: entry.fault };
    }
    this.prune();
    return { delayMs };
  }

  private prune(): void {
    this.armed = this.armed.filter((entry) => entry.remaining > 0);
  }
}

function matches(fault: Fault, method: string, path: string): boolean {
  return (!fault.method || fault.method.toUpperCase() === method.toUpperCase()) && (!fault.match || path.includes(fault.match));
}

/** Validates a fault posted to the control API; `times` may be a number, "Infinity" or absent. */
export function parseFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null) {
    throw new Error('A fault must be a JSON object');
  }
  const raw = input as Record<string, unknown>;
  if (!KINDS.includes(raw.kind as FaultKind)) {
    throw new Error(`kind must be one of ${KINDS.join(', ')}`);
  }
  const fault: Fault = { kind: raw.kind as FaultKind };
  if (raw.match !== undefined) {
    fault.match = requireString(raw.match, 'match');
  }
  if (raw.method !== undefined) {
    fault.method = requireString(raw.method, 'method');
  }
  if (raw.times !== undefined && raw.times !== null) {
    fault.times = raw.times === 'Infinity' ? Infinity : requireNumber(raw.times, 'times');
  }
  if (raw.status !== undefined) {
    fault.status = requireNumber(raw.status, 'status');
  }
  if (raw.retryAfterSeconds !== undefined) {
    fault.retryAfterSeconds = requireNumber(raw.retryAfterSeconds, 'retryAfterSeconds');
  }
  if (raw.delayMs !== undefined) {
    fault.delayMs = requireNumber(raw.delayMs, 'delayMs');
  }
  if (raw.bytes !== undefined) {
    fault.bytes = requireNumber(raw.bytes, 'bytes');
  }
  if (raw.contentLength !== undefined) {
    if (typeof raw.contentLength !== 'boolean') throw new Error('contentLength must be true or false');
    fault.contentLength = raw.contentLength;
  }
  return fault;
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new Error(`${name} must be a string`);
  }
  return value;
}

function requireNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number`);
  }
  return value;
}

const SSO_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Log in to continue - Atlassian</title></head>
<body>
<h1>Log in to continue</h1>
<p>Your organization requires single sign-on. You will be redirected to your identity provider.</p>
<form method="post" action="/login"><input type="email" name="username"><button>Continue</button></form>
</body>
</html>
`;

/** Valid JSON that fits no Bitbucket schema: `values` is a string, `slug` and `type` are numbers. */
const INVALID_SHAPE = { type: 12, values: 'not-a-list', pagelen: 'ten', size: -1, page: 0, slug: 12345, name: null, links: [] };

/** Answers the request the way `fault` says (every kind except 'delay', which only waits). */
export function respondWithFault(fault: Fault, res: ServerResponse): void {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  switch (fault.kind) {
    case 'status': {
      const status = fault.status ?? 500;
      json(status, genericErrorBody(status));
      return;
    }
    case 'rate-limit': {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      json(429, errorBody(MESSAGES.rateLimited), headers);
      return;
    }
    case 'html':
      res.writeHead(fault.status ?? 200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(SSO_PAGE);
      return;
    case 'drop':
      res.socket?.destroy();
      return;
    case 'malformed-json':
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"pagelen": 10, "values": [{"type": "repository", "slug": "truncat');
      return;
    case 'invalid-shape':
      json(200, INVALID_SHAPE);
      return;
    case 'delay':
      return;
    case 'oversized':
      sendOversized(res, fault.bytes ?? 64 * 1024 * 1024, fault.contentLength ?? true);
      return;
  }
}

/**
 * A valid-looking JSON page far larger than any real one (a proxy's flood, a runaway server), written in
 * 64 KiB chunks as the client reads them, and stopped when the client hangs up.
 */
function sendOversized(res: ServerResponse, bytes: number, contentLength: boolean): void {
  const head = '{"values": [], "padding": "';
  const tail = '"}';
  const total = Math.max(bytes, head.length + tail.length);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...(contentLength ? { 'content-length': String(total) } : {}) });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let left = total - head.length - tail.length;
  res.write(head);
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end(tail);
  };
  res.on('close', () => (left = 0));
  pump();
}
