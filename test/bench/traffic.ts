/**
 * Wall time of an operation and what reached the sandbox while it ran, read from the sandbox's own
 * request log (so a client cannot under-count itself). Also the two ways of talking to the API compared:
 * the extension's client and a plain script with Basic auth.
 */
import fetch from 'node-fetch';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CloudHost } from '../../src/bitbucket/cloudHost';
import { Credential } from '../../src/bitbucket/credentials';
import { BitbucketClient } from '../../src/bitbucket/client';
import { Sandbox } from '../sandbox/server';

export interface Traffic<T> {
  readonly value: T;
  readonly ms: number;
  /** API requests only; git has its own rows. */
  readonly requests: number;
  readonly bytes: number;
}

export interface BenchContext {
  readonly sandbox: Sandbox;
  readonly latencyMs: number;
  readonly runs: number;
  /** Runs for the slow whole-workspace listings (naive: ~25 s a run at 50 ms; tree at the default page size). */
  readonly longRuns: number;
  readonly scratch: string;
  progress(message: string): void;
}

/** A sandbox's request log: the Cloud sandbox's and the Data Center one's alike. */
export type RequestLogged = Pick<Sandbox, 'clearRequests' | 'requests'>;

export async function measureTraffic<T>(sandbox: RequestLogged, operation: () => Promise<T>): Promise<Traffic<T>> {
  sandbox.clearRequests();
  const started = performance.now();
  const value = await operation();
  const ms = performance.now() - started;
  const api = sandbox.requests.filter((entry) => !entry.git);
  return { value, ms, requests: api.length, bytes: api.reduce((sum, entry) => sum + entry.bytes, 0) };
}

/** A fresh client per run, as the extension holds one per signed-in session. */
export function extensionClient(sandbox: Sandbox): BitbucketClient {
  return new BitbucketClient({ baseUrl: sandbox.apiUrl, credential: demoCredential(sandbox) });
}

/** The host the tree lists through, over a client as the extension builds it. */
export function extensionHost(sandbox: Sandbox): CloudHost {
  return new CloudHost(extensionClient(sandbox), demoCredential(sandbox));
}

function demoCredential(sandbox: Sandbox): Credential {
  return { kind: 'apiToken', email: sandbox.credentials.email, token: sandbox.credentials.apiToken };
}

/**
 * A GET the way a person scripts it: Basic auth with email and token, JSON back, no `fields`.
 * node-fetch is the HTTP stack the extension uses too, so a comparison measures the approach, not the library.
 */
export async function plainGet(sandbox: Sandbox, url: string): Promise<{ next?: string; values: unknown[] }> {
  const { email, apiToken } = sandbox.credentials;
  const response = await fetch(url, {
    headers: { Authorization: `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`, Accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}`);
  return (await response.json()) as { next?: string; values: unknown[] };
}

/** An environment for plain git with nothing of the machine's own configuration: a fresh HOME under `scratch`, no system config, no prompts. */
export function cleanGitEnv(scratch: string, homeName: string): NodeJS.ProcessEnv {
  const home = path.join(scratch, homeName);
  fs.mkdirSync(home, { recursive: true });
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
