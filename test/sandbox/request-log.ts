import { ServerResponse } from 'http';

/** One API or git request, as tests and benchmarks read it back. Never holds a secret. */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 while the response is unfinished, or when the connection was dropped. */
  status: number;
  /** Response body bytes sent. */
  bytes: number;
  auth: 'basic' | 'bearer' | 'none';
  /**
   * Who the request was, once its credential was accepted: the account nickname for an API token
   * (`demo-user`, `second-user`, `bench-user-3`), the token's name for an access token. Never the secret.
   */
  user?: string;
  /**
   * Which seeded credential the request carried, by the token's name: `demo-full-access`,
   * `demo-read-only`, `second-full-access`, `bench-user-3-full-access`, `acme-ci`, `second-ci`, ...
   * Also set when it was refused (expired, revoked, sent with another account's email or user name),
   * so a test can tell which account a failing request came from. Absent when anonymous or unknown.
   */
  credential?: string;
  /** Epoch milliseconds when the request arrived. */
  time: number;
  durationMs: number;
  git: boolean;
}

/** Oldest entries are dropped past this many, so a long benchmark cannot exhaust memory. */
export const MAX_LOG_ENTRIES = 50_000;
const SECRET_PARAMETERS = new Set(['access_token', 'token', 'password']);

export function logQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of params) {
    query[name] = SECRET_PARAMETERS.has(name.toLowerCase()) ? '[redacted]' : value;
  }
  return query;
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  /**
   * Adds an entry at once (so the log keeps arrival order) and completes it as the response ends:
   * status, body bytes and duration are filled in before the last byte is handed to the socket.
   */
  start(entry: Omit<RequestLogEntry, 'status' | 'bytes' | 'durationMs' | 'time'>, res: ServerResponse): RequestLogEntry {
    const started = process.hrtime.bigint();
    const full: RequestLogEntry = { ...entry, status: 0, bytes: 0, time: Date.now(), durationMs: 0 };
    this.entries.push(full);
    if (this.entries.length > MAX_LOG_ENTRIES) {
      this.entries.splice(0, this.entries.length - MAX_LOG_ENTRIES);
    }
    const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e6;
    const count = (chunk: unknown, encoding?: unknown): void => {
      if (typeof chunk === 'string') {
        full.bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      } else if (chunk instanceof Uint8Array) {
        full.bytes += chunk.byteLength;
      }
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((...args: unknown[]) => {
      count(args[0], args[1]);
      return write(...args);
    }) as ServerResponse['write'];
    res.end = ((...args: unknown[]) => {
      if (typeof args[0] !== 'function') {
        count(args[0], args[1]);
      }
      full.status = res.statusCode;
      full.durationMs = elapsed();
      return end(...args);
    }) as ServerResponse['end'];
    res.on('close', () => {
      if (!res.writableEnded) {
        full.status = res.headersSent ? res.statusCode : 0;
        full.durationMs = elapsed();
      }
    });
    return full;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
