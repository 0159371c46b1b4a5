/** "Go to File" lists every file of a commit through the Cloud host: deep trees, big folders, no directories, no repeats. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudHost } from '../../src/bitbucket/cloudHost';
import { DEMO } from '../sandbox/seed';
import { useSandbox } from './fixture';

const fixture = useSandbox({ retry: { maxRetries: 0 } });

describe('CloudHost.allFiles', () => {
  it('lists every file of special-files at main, a page at a time', async () => {
    const host = new CloudHost(fixture.client(), fixture.demo);
    const ref = { container: DEMO.specialRepository.workspace, slug: DEMO.specialRepository.slug };
    const { commit } = await host.mainRoot(ref);
    fixture.sandbox.clearRequests();
    const pages: number[] = [];
    const files: string[] = [];
    for await (const page of host.allFiles(ref, commit)) {
      pages.push(page.length);
      files.push(...page.map((entry) => entry.path));
    }
    assert.equal(new Set(files).size, files.length, 'no file twice');
    const many = files.filter((file) => file.startsWith('many-files/'));
    assert.equal(many.length, 1000);
    assert.ok(files.includes('README.md'));
    assert.ok(files.includes('images/logo.png'));
    const bottom = `deep/${Array.from({ length: 12 }, (_, index) => `level-${String(index + 1).padStart(2, '0')}`).join('/')}/bottom.txt`;
    assert.ok(files.includes(bottom), 'a file 13 levels down: past one listing’s 8 levels, listed again from there');
    assert.ok(!files.includes('docs') && !files.includes('deep'), 'directories are not files');
    assert.ok(pages.length > 1, 'yielded as pages arrive');
    const requests = fixture.sandbox.requests.filter((entry) => !entry.git).length;
    assert.ok(requests <= Math.ceil(files.length / 100) + 3, `about one request per 100 entries: ${requests} for ${files.length} files`);
  });
});
