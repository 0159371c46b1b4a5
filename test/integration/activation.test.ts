// The extension as the editor sees it: installed, activating, configured to the sandbox, and able to reach
// the sandbox over the extension host's own network stack.
import * as assert from 'node:assert/strict';
import fetch from 'node-fetch';
import * as vscode from 'vscode';

import { DEMO } from '../sandbox/seed';
import { clearRequests, getRequests, sandboxApiUrl, sandboxUrl } from './sandbox-control';

const EXTENSION_ID = 'bitbucket-repositories.bitbucket-repositories';

describe('Extension activation', () => {
  it('is installed under its publisher.name id', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among ${vscode.extensions.all.length} extensions`);
    assert.equal(extension.packageJSON.name, 'bitbucket-repositories');
  });

  it('activates without throwing', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('reads bitbucket.apiUrl from the user settings the launcher wrote', () => {
    const configuration = vscode.workspace.getConfiguration('bitbucket');
    assert.equal(configuration.get<string>('apiUrl'), sandboxApiUrl());
    // The contributed default is still the real service; only the user value points at the sandbox.
    assert.equal(configuration.inspect<string>('apiUrl')?.defaultValue, 'https://api.bitbucket.org/2.0');
  });
});

describe('Sandbox reachability from the extension host', () => {
  beforeEach(() => clearRequests());

  it('lists acme repositories with the demo API token', async () => {
    const basic = Buffer.from(`${DEMO.email}:${DEMO.apiToken}`).toString('base64');
    const response = await fetch(`${sandboxUrl()}/2.0/repositories/acme?pagelen=10`, {
      headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' },
    });
    assert.equal(response.status, 200);
    const page = (await response.json()) as { values: { full_name: string }[]; pagelen: number };
    assert.equal(page.values.length, 10);
    assert.ok(page.values.every((repository) => repository.full_name.startsWith('acme/')));

    const requests = await getRequests();
    const logged = requests.find((request) => request.path === '/2.0/repositories/acme');
    assert.ok(logged, `the sandbox did not record the request: ${JSON.stringify(requests)}`);
    assert.equal(logged.auth, 'basic');
    assert.equal(logged.status, 200);
  });

  it('shows an anonymous caller only public repositories', async () => {
    const response = await fetch(`${sandboxUrl()}/2.0/repositories/acme?pagelen=10`);
    assert.equal(response.status, 200);
    const page = (await response.json()) as { values: { is_private: boolean }[] };
    assert.ok(page.values.length > 0);
    assert.ok(page.values.every((repository) => !repository.is_private));
  });
});
