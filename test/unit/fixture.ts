/**
 * The shared set-up of the unit tests that go through real sockets: one sandbox per test file (reset
 * after each test), its demo credential, and clients for it. Call `useSandbox()` at the top of a file;
 * what it returns is ready inside tests.
 */
import { after, afterEach, before } from 'node:test';
import { BitbucketClient } from '../../src/bitbucket/client';
import { ApiTokenCredential } from '../../src/bitbucket/credentials';
import type { RequestInit } from 'node-fetch';
import { FetchFunction, HttpOptions } from '../../src/bitbucket/http';
import { Sandbox, startSandbox } from '../sandbox/server';

export interface SandboxFixture {
  /** The running sandbox; read it inside tests and hooks, not at module load. */
  readonly sandbox: Sandbox;
  /** The demo user's API token. */
  readonly demo: ApiTokenCredential;
  /** A client for the sandbox as the demo user; `options` override the file's defaults. */
  client(options?: HttpOptions): BitbucketClient;
}

export function useSandbox(defaults: HttpOptions = {}): SandboxFixture {
  let sandbox: Sandbox | undefined;
  before(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  after(() => sandbox?.close());
  afterEach(() => sandbox?.reset());
  const running = (): Sandbox => {
    if (!sandbox) throw new Error('the sandbox starts in before(): use it inside tests');
    return sandbox;
  };
  return {
    get sandbox() {
      return running();
    },
    get demo(): ApiTokenCredential {
      const { email, apiToken } = running().credentials;
      return { kind: 'apiToken', email, token: apiToken };
    },
    client(options = {}) {
      return new BitbucketClient({ baseUrl: running().apiUrl, credential: this.demo, ...defaults, ...options });
    },
  };
}

/** The two calls of VS Code's Memento the cache uses, over a Map. */
export class MapMemento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

/** One call a stand-in fetch received. */
export interface SentRequest {
  readonly url: string;
  readonly init: RequestInit;
}

/** What a stand-in fetch answers: a status, headers (JSON by default), and a body (a string as is, anything else as JSON). */
export interface StandInAnswer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/**
 * A fetch for pure logic, where a socket proves nothing: records each call and answers it with the next of
 * `answers` (the last one again once they run out), counting reads.
 */
export function standInFetch(...answers: StandInAnswer[]) {
  const sent: SentRequest[] = [];
  let reads = 0;
  const fetch: FetchFunction = async (url, init) => {
    sent.push({ url, init });
    const answer = answers[Math.min(sent.length - 1, answers.length - 1)] ?? {};
    const status = answer.status ?? 200;
    const headers = new Map(Object.entries({ 'content-type': 'application/json', ...answer.headers }));
    return {
      status,
      ok: status >= 200 && status < 300,
      headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null } as never,
      arrayBuffer: async () => {
        reads++;
        if (Buffer.isBuffer(answer.body)) return toArrayBuffer(answer.body);
        const text =
          answer.body === undefined ? '{"values": []}' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        return toArrayBuffer(Buffer.from(text));
      },
    };
  };
  return { fetch, sent, reads: () => reads };
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return copy;
}
