// Lets integration tests, which run in the extension host (another process than the sandbox), observe and
// steer the sandbox Bitbucket server over its HTTP control API.
import fetch from 'node-fetch';

import { DEMO } from '../sandbox/seed';

// Types only: the sandbox itself runs in the launcher's process, not here.
import type { Fault, RequestLogEntry } from '../sandbox/server';

export type { Fault, RequestLogEntry };

/** Base URL of the sandbox (`http://127.0.0.1:PORT`), handed to the extension host by the launcher. */
export function sandboxUrl(): string {
  const url = process.env.BITBUCKET_SANDBOX_URL;
  if (!url) {
    throw new Error('BITBUCKET_SANDBOX_URL is not set: run these tests through npm run test:integration.');
  }
  return url.replace(/\/+$/, '');
}

/** The sandbox's REST API root, what `bitbucket.apiUrl` points at. */
export function sandboxApiUrl(): string {
  return `${sandboxUrl()}/2.0`;
}

async function control(method: 'GET' | 'POST' | 'DELETE', route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/${route}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Sandbox control ${method} /_sandbox/${route} failed: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The API and git requests the sandbox received, oldest first. Never holds a secret. */
export async function getRequests(): Promise<RequestLogEntry[]> {
  return (await control('GET', 'requests')) as RequestLogEntry[];
}

export async function clearRequests(): Promise<void> {
  await control('DELETE', 'requests');
}

/** Makes the next matching API request(s) misbehave; see Fault in test/sandbox/faults.ts. */
export async function addFault(fault: Fault): Promise<void> {
  await control('POST', 'faults', fault);
}

export async function clearFaults(): Promise<void> {
  await control('DELETE', 'faults');
}

/** Adds this much latency to every API request from now on. */
export async function setLatency(ms: number): Promise<void> {
  await control('POST', 'latency', { ms });
}

/** Restores the seed data and drops recorded requests and faults. */
export async function reset(): Promise<void> {
  await control('POST', 'reset');
}

/** Makes every git request wait this long, so a clone can be cancelled while it runs. */
export async function setGitDelay(ms: number): Promise<void> {
  await control('POST', 'git-delay', { ms });
}

/** Revokes a token in the sandbox (API and git) until the next reset. */
export async function revokeToken(token: string): Promise<void> {
  await control('POST', 'revoke', { token });
}

/** GETs a path under the sandbox's /2.0 as the demo user, as a plain script would; fails on anything but 200. */
export async function getAsDemoUser<T>(path: string): Promise<T> {
  const basic = Buffer.from(`${DEMO.email}:${DEMO.apiToken}`).toString('base64');
  const response = await fetch(`${sandboxApiUrl()}/${path.replace(/^\//, '')}`, { headers: { Authorization: `Basic ${basic}` } });
  if (response.status !== 200) throw new Error(`GET ${path} as the demo user answered ${response.status}`);
  return (await response.json()) as T;
}
