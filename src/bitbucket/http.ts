/**
 * The one place a request to Bitbucket is built and sent: credentials, transport security, timeout,
 * cancellation, retries, JSON parsing and validation. Endpoints live in client.ts.
 */
import type { RequestInfo, RequestInit, Response } from 'node-fetch';
import { t } from '../common/l10n';
import type { Logger } from '../common/logger';
import { isHttpsOrLoopback } from '../common/urls';
import { Infer, Schema } from './schemas';
import { Credential, authorizationHeader } from './credentials';
import { DEFAULT_API_URL } from './defaults';
import { BitbucketError } from './errors';
import { FailedResponse, errorFromResponse, notJsonError } from './responseErrors';
import { DEFAULT_RETRY_POLICY, RetryPolicy, backoffDelayMs, parseRetryAfter, sleep } from './retry';

export { DEFAULT_API_URL };
export const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * The largest answer read. A page of 100 repositories with the fields the tree asks for is about 50 KB;
 * a body far past that is a fault or an attack, and reading it whole would swell the extension host.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * The largest file read whole (Open Without Cloning): past VS Code's own limit for opening a file in an
 * editor, short of what would strain the extension host. Such files stream, with progress.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Bytes received so far, and the whole size when the server said it. */
export type ByteProgress = (received: number, total: number | undefined) => void;

let nodeFetch: typeof import('node-fetch').default | undefined;

/** What the client needs of fetch: node-fetch's call, or a stand-in where a socket would prove nothing. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Pick<Response, 'status' | 'ok' | 'headers' | 'arrayBuffer'>>;

/** Redirects followed at most, each to the API's own origin: the `src` root redirects to a commit. */
const MAX_REDIRECTS = 3;

/**
 * node-fetch, loaded on the first request rather than when the extension loads: evaluating it (with http,
 * https and zlib) is a large part of the bundle's load time, which activation should not pay.
 */
function loadedNodeFetch(url: RequestInfo, init: RequestInit): Promise<Response> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  nodeFetch ??= (require('node-fetch') as typeof import('node-fetch')).default;
  return nodeFetch(url, init);
}

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * How a kind of host words the errors only it can explain: its error documents, and answers that are not its
 * API's. Cloud's wording is the default; Data Center brings its own (datacenter/dataCenterErrors.ts).
 */
export interface HostErrors {
  /** An answer that is not a success (nor a redirect that was followed). */
  fromResponse(response: FailedResponse): BitbucketError;
  /** A success whose body is not JSON: a login page, a proxy's page. */
  notJson(status: number, contentType: string, endpoint: string): BitbucketError;
  /** A redirect that was not followed: to another origin, outside the API root, or one too many. */
  redirect(status: number, endpoint: string, location: string | null): BitbucketError;
  /** No HTTP answer at all: refused, reset, name lookup, TLS. */
  network(error: unknown, url: URL, endpoint: string): BitbucketError;
}

/** The response headers a caller may read (see `RequestOptions.onHeaders`). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface HttpOptions {
  readonly baseUrl?: string;
  readonly credential?: Credential;
  /**
   * The Authorization header of a host whose credential is not a Cloud `Credential` (Data Center's
   * `Bearer <token>`). Ignored when `credential` is given; either one counts as a credential for transport safety.
   */
  readonly authorization?: string;
  /** Another kind of host's wording of errors; Cloud's by default. */
  readonly errors?: HostErrors;
  readonly timeoutMs?: number;
  /** Answers larger than this are refused unread, or as soon as this much has arrived. */
  readonly maxResponseBytes?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly logger?: Logger;
  readonly userAgent?: string;
  /** For tests: replaces Math.random in backoff jitter. */
  readonly random?: () => number;
  /** For tests of pure logic: replaces node-fetch. Real I/O is tested through real sockets. */
  readonly fetch?: FetchFunction;
  /** Told when Bitbucket stops accepting the credential (401, or a removed app password). */
  readonly onCredentialRejected?: (error: BitbucketError) => void;
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly signal?: AbortSignal;
  /** Told the headers of a successful answer, e.g. for the user a host names in them (Data Center's `X-AUSERNAME`). */
  readonly onHeaders?: (headers: ResponseHeaders) => void;
  /**
   * For `getBytes`: told as the body arrives. The body is then read as a stream, and the timeout counts from
   * the last bytes received rather than from the request, so a large file on a slow link is not cut off.
   */
  readonly onProgress?: ByteProgress;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** A body read piece by piece: each piece restarts the wait and is reported; past the cap, refused. */
async function readStream(
  stream: AsyncIterable<Uint8Array>,
  how: { total?: number; cap: number; onChunk: () => void; onProgress: ByteProgress; tooLarge: () => Error },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of stream) {
      how.onChunk();
      received += chunk.length;
      if (received > how.cap) throw how.tooLarge();
      chunks.push(Buffer.from(chunk));
      how.onProgress(received, how.total);
    }
  } catch (error) {
    // node-fetch's own cap (`size`) ends the stream with a max-size error.
    if ((error as { type?: string }).type === 'max-size') throw how.tooLarge();
    throw error;
  }
  return Buffer.concat(chunks, received);
}

/** Counts what went over the wire, for the benchmark and the log. */
export interface TrafficStats {
  requests: number;
  bytesReceived: number;
}

export class BitbucketHttp {
  readonly baseUrl: URL;
  readonly stats: TrafficStats = { requests: 0, bytesReceived: 0 };
  private readonly credential?: Credential;
  private readonly authorization?: string;
  private readonly errors: HostErrors;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private readonly userAgent: string;
  private readonly random: () => number;
  private readonly fetch: FetchFunction;
  private readonly onCredentialRejected: (error: BitbucketError) => void;

  constructor(options: HttpOptions = {}) {
    this.baseUrl = new URL(withTrailingSlash(options.baseUrl ?? DEFAULT_API_URL));
    this.credential = options.credential;
    this.authorization = options.credential ? authorizationHeader(options.credential) : options.authorization;
    this.errors = options.errors ?? {
      fromResponse: (response) => errorFromResponse(response, this.credential),
      notJson: notJsonError,
      redirect: cloudRedirectError,
      network: networkError,
    };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.logger = options.logger ?? silentLogger;
    this.userAgent = options.userAgent ?? 'bitbucket-repositories-vscode';
    this.random = options.random ?? Math.random;
    this.fetch = options.fetch ?? loadedNodeFetch;
    this.onCredentialRejected = options.onCredentialRejected ?? (() => undefined);
  }

  /** GETs a path under the API root, or an absolute `next` link the API returned. Retried when it pays. */
  async get<T extends Schema>(pathOrUrl: string, schema: T, options: RequestOptions = {}): Promise<Infer<T>> {
    return this.send('GET', this.resolve(pathOrUrl, options.query), schema, undefined, options);
  }

  /**
   * GETs raw bytes (a file's content), with its content type. Follows a redirect to the API's own origin,
   * as JSON GETs do; refuses one elsewhere. Retried like any GET.
   */
  async getBytes(pathOrUrl: string, options: RequestOptions = {}): Promise<RawAnswer> {
    // Files may be far larger than any JSON answer: up to MAX_FILE_BYTES, streamed.
    options = { ...options, onProgress: options.onProgress ?? (() => undefined) };
    return this.send('GET', this.resolve(pathOrUrl, options.query), RAW, undefined, options);
  }

  /** POSTs JSON. Never retried: a create that timed out may have happened. */
  async post<T extends Schema>(path: string, body: unknown, schema: T, options: RequestOptions = {}): Promise<Infer<T>> {
    return this.send('POST', this.resolve(path, options.query), schema, JSON.stringify(body), options);
  }

  /** A short name for an endpoint in messages and logs: method and path below the API root, no query. */
  endpointLabel(method: string, url: URL): string {
    const root = this.baseUrl.pathname;
    const path = url.pathname.startsWith(root) ? `/${url.pathname.slice(root.length)}` : url.pathname;
    return `${method} ${decodeURIComponent(path)}`;
  }

  private resolve(pathOrUrl: string, query: RequestOptions['query']): URL {
    let url: URL;
    try {
      url = /^https?:\/\//i.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(pathOrUrl.replace(/^\//, ''), this.baseUrl);
      decodeURIComponent(url.pathname); // a malformed escape would throw a URIError later, outside the typed errors
    } catch {
      throw new BitbucketError(
        'invalidResponse',
        t('Bitbucket returned a malformed page link; it was not followed. Try again; if it persists, report it with the log.'),
        {
          detail: pathOrUrl,
        },
      );
    }
    if (url.origin !== this.baseUrl.origin) {
      // A `next` link on another host would receive our credentials; refuse rather than follow.
      throw new BitbucketError('invalidResponse', t('Bitbucket returned a link to another host ({0}); it was not followed.', url.host), {
        endpoint: url.pathname,
      });
    }
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }

  private async send<T extends Schema>(
    method: 'GET' | 'POST',
    url: URL,
    schema: T,
    body: string | undefined,
    options: RequestOptions,
  ): Promise<Infer<T>>;
  private async send(method: 'GET', url: URL, expect: typeof RAW, body: undefined, options: RequestOptions): Promise<RawAnswer>;
  private async send(
    method: 'GET' | 'POST',
    url: URL,
    expect: Schema | typeof RAW,
    body: string | undefined,
    options: RequestOptions,
  ): Promise<unknown> {
    const signal = options.signal;
    let endpoint = this.endpointLabel(method, url);
    this.assertSafeTransport(url, endpoint);
    for (let attempt = 0, redirects = 0; ; attempt++) {
      try {
        const answer = await this.attempt(method, url, endpoint, body, signal, expect === RAW ? options.onProgress : undefined);
        const next = method === 'GET' ? this.redirectTarget(answer.response, redirects) : undefined;
        if (next) {
          // A new request, not a retry: it gets its own retries.
          url = next;
          endpoint = this.endpointLabel(method, url);
          redirects++;
          attempt = -1;
          continue;
        }
        const value = this.interpret(answer.response, answer.bytes, endpoint, expect);
        options.onHeaders?.(answer.response.headers);
        return value;
      } catch (error) {
        const delay = method === 'GET' ? this.retryDelay(error, attempt) : undefined;
        if (delay === undefined) throw error;
        this.logger.warn(
          `${endpoint}: ${(error as Error).message} Retrying in ${delay} ms (retry ${attempt + 1} of ${this.retry.maxRetries}).`,
        );
        try {
          await sleep(delay, signal);
        } catch {
          throw cancelledError(endpoint);
        }
      }
    }
  }

  /** One request and its whole body (capped), or a typed error. */
  private async attempt(
    method: string,
    url: URL,
    endpoint: string,
    body: string | undefined,
    signal: AbortSignal | undefined,
    onProgress?: ByteProgress,
  ): Promise<{ response: Pick<Response, 'status' | 'ok' | 'headers'>; bytes: Buffer }> {
    if (signal?.aborted) throw cancelledError(endpoint);
    const controller = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    /** (Re)starts the wait: for the answer, then, when streaming, for each next piece of the body. */
    const wait = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeoutMs);
    };
    wait();
    const cap = onProgress ? MAX_FILE_BYTES : this.maxResponseBytes;
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    try {
      const headers: Record<string, string> = { Accept: 'application/json, */*;q=0.5', 'User-Agent': this.userAgent };
      if (this.authorization) headers.Authorization = this.authorization;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      this.stats.requests++;
      const response = await this.fetch(url.toString(), {
        method,
        headers,
        body,
        // Redirects are followed here, not by fetch: only to the API's own origin, only for a GET, so the
        // credential never travels to another host (nor a POST turn into a GET).
        redirect: 'manual',
        // node-fetch wants its own AbortSignal type; Node's is compatible at run time.
        signal: controller.signal as never,
        // node-fetch stops reading there; a Content-Length over the cap is refused before reading at all.
        size: cap,
      });
      const declared = Number(response.headers.get('content-length'));
      if (declared > cap) {
        controller.abort();
        throw tooLargeError(endpoint, response.status, declared);
      }
      let bytes: Buffer;
      const stream = (response as { body?: unknown }).body;
      if (onProgress && response.ok && isAsyncIterable(stream)) {
        bytes = await readStream(stream, {
          total: declared > 0 ? declared : undefined,
          cap,
          onChunk: wait,
          onProgress,
          tooLarge: () => {
            controller.abort();
            return tooLargeError(endpoint, response.status);
          },
        });
      } else {
        try {
          bytes = Buffer.from(await response.arrayBuffer());
        } catch (error) {
          if ((error as { type?: string }).type !== 'max-size') throw error;
          controller.abort();
          throw tooLargeError(endpoint, response.status);
        }
      }
      this.stats.bytesReceived += bytes.length;
      this.logger.debug(`${endpoint} → ${response.status} (${bytes.length} bytes, ${Date.now() - started} ms)`);
      return { response, bytes };
    } catch (error) {
      if (error instanceof BitbucketError) throw error;
      if (signal?.aborted) throw cancelledError(endpoint);
      if (timedOut) {
        const seconds = Math.round(this.timeoutMs / 1000);
        throw new BitbucketError(
          'timeout',
          seconds === 1
            ? t('Bitbucket did not answer {0} within 1 second. Check your connection or proxy and try again.', endpoint)
            : t('Bitbucket did not answer {0} within {1} seconds. Check your connection or proxy and try again.', endpoint, seconds),
          { endpoint },
        );
      }
      throw this.errors.network(error, url, endpoint);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Where a redirect leads, when it is one to follow: a GET, to the API's own origin and under its root,
   * at most MAX_REDIRECTS times. Any other redirect is left for `interpret` to refuse.
   */
  private redirectTarget(response: Pick<Response, 'status' | 'headers'>, followed: number): URL | undefined {
    if (![301, 302, 303, 307, 308].includes(response.status) || followed >= MAX_REDIRECTS) return undefined;
    const location = response.headers.get('location');
    if (!location) return undefined;
    let target: URL;
    try {
      target = new URL(location, this.baseUrl);
      decodeURIComponent(target.pathname);
    } catch {
      return undefined;
    }
    const sameApi = target.origin === this.baseUrl.origin && target.pathname.startsWith(this.baseUrl.pathname);
    return sameApi ? target : undefined;
  }

  private interpret(
    response: Pick<Response, 'status' | 'ok' | 'headers'>,
    bytes: Buffer,
    endpoint: string,
    expect: Schema | typeof RAW,
  ): unknown {
    const contentType = response.headers.get('content-type') ?? '';
    const text = () => bytes.toString('utf8');
    if (response.status >= 300 && response.status < 400) {
      throw this.errors.redirect(response.status, endpoint, response.headers.get('location'));
    }
    if (!response.ok) {
      const error = this.errors.fromResponse({
        status: response.status,
        endpoint,
        contentType,
        bodyText: text(),
        retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
      });
      if (error.kind === 'unauthorized' || error.kind === 'appPasswordRemoved') this.onCredentialRejected(error);
      throw error;
    }
    if (expect === RAW) return { bytes, contentType } satisfies RawAnswer;
    if (!/\bjson\b/i.test(contentType)) throw this.errors.notJson(response.status, contentType, endpoint);
    let json: unknown;
    try {
      json = JSON.parse(text());
    } catch {
      throw this.errors.notJson(response.status, contentType, endpoint);
    }
    const parsed = expect.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message =
        issue.path.length > 0
          ? t(
              'Bitbucket\'s answer to {0} had an unexpected shape at "{1}" ({2}). Try again; if it persists, report it with the log.',
              endpoint,
              issue.path.join('.'),
              issue.message,
            )
          : t(
              'Bitbucket\'s answer to {0} had an unexpected shape at "(the whole body)" ({1}). Try again; if it persists, report it with the log.',
              endpoint,
              issue.message,
            );
      throw new BitbucketError('invalidResponse', message, { endpoint, status: response.status, detail: parsed.error.message });
    }
    return parsed.data;
  }

  /** How long to wait before repeating, or undefined when the error should reach the caller now. */
  private retryDelay(error: unknown, attempt: number): number | undefined {
    if (!(error instanceof BitbucketError) || attempt >= this.retry.maxRetries) return undefined;
    if (error.kind === 'rateLimited') {
      if (error.retryAfterSeconds === undefined) return backoffDelayMs(attempt, this.retry, this.random);
      if (error.retryAfterSeconds > this.retry.maxRetryAfterSeconds) return undefined;
      return error.retryAfterSeconds * 1000;
    }
    if (error.kind === 'serverError' || error.kind === 'network') {
      return backoffDelayMs(attempt, this.retry, this.random);
    }
    return undefined;
  }

  private assertSafeTransport(url: URL, endpoint: string): void {
    if (isHttpsOrLoopback(url) || (url.protocol === 'http:' && !this.authorization)) return;
    throw new BitbucketError(
      'insecureUrl',
      t(
        'Refusing to send your Bitbucket credentials over plain {0} to {1}. Use an https:// address in the bitbucket.apiUrl setting.',
        url.protocol.replace(':', ''),
        url.host,
      ),
      { endpoint },
    );
  }
}

/** Asks `send` for the body as bytes rather than validated JSON. */
// eslint-disable-next-line l10n/user-facing-strings -- a Symbol's description, only seen by a debugger
const RAW = Symbol('raw bytes');

/** A body as it came: a file's content and what the server says it is. */
export interface RawAnswer {
  readonly bytes: Buffer;
  readonly contentType: string;
}

/** Cloud's sentence for a redirect not followed: the API root is set wrong. */
function cloudRedirectError(status: number, endpoint: string, location: string | null): BitbucketError {
  const host = location ? safeHost(location) : undefined;
  const message =
    host !== undefined
      ? t(
          'Bitbucket answered {0} with a redirect (HTTP {1}) to {2}. Check the bitbucket.apiUrl setting: it should be the API root, such as {3}.',
          endpoint,
          status,
          host,
          DEFAULT_API_URL,
        )
      : location
        ? t(
            'Bitbucket answered {0} with a redirect (HTTP {1}) to another address. Check the bitbucket.apiUrl setting: it should be the API root, such as {2}.',
            endpoint,
            status,
            DEFAULT_API_URL,
          )
        : t(
            'Bitbucket answered {0} with a redirect (HTTP {1}). Check the bitbucket.apiUrl setting: it should be the API root, such as {2}.',
            endpoint,
            status,
            DEFAULT_API_URL,
          );
  return new BitbucketError('invalidResponse', message, { endpoint, status });
}

/** The host a redirect's `Location` names, or undefined when it is no absolute URL. */
export function safeHost(location: string): string | undefined {
  try {
    return new URL(location).host;
  } catch {
    return undefined;
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function cancelledError(endpoint: string): BitbucketError {
  return new BitbucketError('cancelled', t('Cancelled.'), { endpoint });
}

/** An invalid answer, so never retried: a second download of the same flood helps nobody. */
function tooLargeError(endpoint: string, status: number, declaredBytes?: number): BitbucketError {
  const message =
    declaredBytes === undefined
      ? t(
          'Bitbucket sent an unexpectedly large answer to {0} (more than the limit); it was not read. Check bitbucket.apiUrl and any proxy, then try again.',
          endpoint,
        )
      : t(
          'Bitbucket sent an unexpectedly large answer to {0} ({1} MB); it was not read. Check bitbucket.apiUrl and any proxy, then try again.',
          endpoint,
          (declaredBytes / 1048576).toFixed(1),
        );
  return new BitbucketError('invalidResponse', message, { endpoint, status });
}

function networkError(error: unknown, url: URL, endpoint: string): BitbucketError {
  const code = (error as { code?: string }).code;
  const message = code
    ? t('Could not reach Bitbucket at {0} ({1}). Check your connection, proxy settings and bitbucket.apiUrl.', url.host, code)
    : t('Could not reach Bitbucket at {0}. Check your connection, proxy settings and bitbucket.apiUrl.', url.host);
  return new BitbucketError('network', message, { endpoint, detail: (error as Error).message, cause: error });
}
