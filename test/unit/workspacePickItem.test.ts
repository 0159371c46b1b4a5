// How a workspace reads in the Find Repository… and Create Repository… picks.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { workspacePickItem } from '../../src/ui/workspacePickItem';

const account = { label: 'Demo User (demo@example.com)' };

it('names a workspace, with its slug beside the name, and the account only when there are several', () => {
  assert.deepEqual(workspacePickItem({ slug: 'acme', displayName: 'Acme Corporation', account }, false), {
    label: 'Acme Corporation',
    description: 'acme',
  });
  assert.deepEqual(workspacePickItem({ slug: 'acme', displayName: 'Acme Corporation', account }, true), {
    label: 'Acme Corporation',
    description: `acme · ${account.label}`,
  });
});

it('does not say the slug twice while the name is not yet known', () => {
  assert.deepEqual(workspacePickItem({ slug: 'acme', account }, false), { label: 'acme', description: '' });
  assert.deepEqual(workspacePickItem({ slug: 'acme', account }, true), { label: 'acme', description: account.label });
});
