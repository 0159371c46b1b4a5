// A repository opened without cloning, through VS Code's own file system API in the real extension host,
// against the sandbox's src API: listing, reading text and bytes byte for byte, each special entry, what
// is asked of the server (and what is never asked twice), writes refused, and each error as the
// FileSystemError the Explorer and editors show.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fetch from 'node-fetch';
import * as vscode from 'vscode';
import { DEMO } from '../sandbox/seed';
import { SPECIAL_FILES } from '../sandbox/special-repository';
import type { GitExtension } from '../../src/git/gitApi';
import { RequestLogEntry, addFault, clearFaults, clearRequests, getAsDemoUser, getRequests, reset, sandboxApiUrl } from './sandbox-control';
import { allowGitOutsideWorkspace, errorShownBy, eventually, extensionApi, signInWithApiToken, signOut } from './extensionApi';

const SPECIAL = DEMO.specialRepository;

/** The file's bytes on the main branch, as the sandbox serves them to the demo user. */
async function rawFromSandbox(path: string): Promise<Buffer> {
  const auth = Buffer.from(`${DEMO.email}:${DEMO.apiToken}`).toString('base64');
  const response = await fetch(`${sandboxApiUrl()}/repositories/${SPECIAL.workspace}/${SPECIAL.slug}/src/main/${path}`, {
    headers: { Authorization: `Basic ${auth}` },
  });
  assert.equal(response.status, 200, `the sandbox serves ${path}`);
  return response.buffer();
}

/** Requests of the src API the sandbox saw since the last clear (the redirect of the src root counts as one). */
async function srcRequests(): Promise<RequestLogEntry[]> {
  return (await getRequests()).filter(
    (entry) => !entry.git && entry.path.startsWith(`/2.0/repositories/${SPECIAL.workspace}/${SPECIAL.slug}/src`),
  );
}

async function apiRequests(): Promise<number> {
  return (await srcRequests()).length;
}

async function failureOf(run: () => Thenable<unknown>): Promise<vscode.FileSystemError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof vscode.FileSystemError, `a FileSystemError, not ${String(error)}`);
    return error;
  }
  assert.fail('it did not fail');
}

describe('Open without cloning', () => {
  let root: vscode.Uri;
  const at = (path: string) => vscode.Uri.joinPath(root, path);

  before(async () => {
    await reset();
    await signOut();
    await signInWithApiToken();
    await extensionApi();
    root = await open();
  });

  const open = async () =>
    vscode.Uri.parse(
      await vscode.commands.executeCommand<string>('bitbucket.openWithoutCloning', {
        repository: { container: SPECIAL.workspace, slug: SPECIAL.slug },
        how: 'none',
      }),
    );

  after(async () => {
    await clearFaults();
    await signOut();
  });

  it('opens a repository and its README in at most three requests', async () => {
    await clearRequests();
    const opened = (await open()).toString();
    assert.equal(opened, root.toString(), 'the same repository and account: the same URI');
    assert.equal(root.scheme, 'bitbucket');
    assert.equal(root.path, `/${SPECIAL.workspace}/${SPECIAL.slug}`);
    assert.ok(!opened.includes(DEMO.apiToken) && !root.authority.includes('@'), 'the URI names the account by a key, never a secret');
    assert.equal(await apiRequests(), 0, 'opening asks nothing until something is read');

    const entries = new Map(await vscode.workspace.fs.readDirectory(root));
    assert.equal(entries.get('README.md'), vscode.FileType.File);
    assert.equal(entries.get('docs'), vscode.FileType.Directory);
    assert.equal(entries.get('many-files'), vscode.FileType.Directory);
    assert.equal(entries.get('link-to-readme'), vscode.FileType.File | vscode.FileType.SymbolicLink);
    const readme = await vscode.workspace.fs.readFile(at('README.md'));
    assert.deepEqual(Buffer.from(readme), await rawFromSandbox('README.md'));
    // rawFromSandbox's own request is one more; the extension's are the ones before it.
    const requests = await srcRequests();
    const ours = requests.slice(0, requests.length - 1);
    assert.ok(ours.length <= 3, `at most 3 requests: ${ours.map((entry) => `${entry.status} ${entry.path}`).join(', ')}`);
  });

  it('reads binary files byte for byte', async () => {
    for (const path of ['images/logo.png', 'bin/data.bin']) {
      assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(at(path))), await rawFromSandbox(path), path);
    }
    const stat = await vscode.workspace.fs.stat(at('images/logo.png'));
    assert.equal(stat.type, vscode.FileType.File);
    assert.equal(stat.size, (await rawFromSandbox('images/logo.png')).length);
  });

  it('lists a folder of 1,000 files in ten requests, and never asks twice for what it has', async () => {
    await clearRequests();
    const files = await vscode.workspace.fs.readDirectory(at('many-files'));
    assert.equal(files.length, 1000);
    assert.equal(await apiRequests(), 10, 'ceil(1000 / 100) pages');
    await clearRequests();
    await vscode.workspace.fs.readDirectory(at('many-files'));
    await vscode.workspace.fs.readFile(at('README.md'));
    await vscode.workspace.fs.readFile(at('images/logo.png'));
    assert.equal(await apiRequests(), 0, 'a commit never changes: all from memory');
  });

  it('after a restart (the memory cache gone), reads the same commit from the disk cache with no request', async () => {
    const api = await extensionApi();
    await vscode.workspace.fs.readFile(at('docs/guide.md'));
    // Disk writes are not awaited by reads; give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    api.browseForTests!.forgetMemory();
    await clearRequests();
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(at('docs/guide.md'))), await rawFromSandbox('docs/guide.md'));
    const requests = await srcRequests();
    assert.equal(requests.length, 1, `only the check's own request: ${requests.map((entry) => entry.path).join(', ')}`);
  });

  it('with the disk cache turned off, a restart asks again', async () => {
    const api = await extensionApi();
    const browse = vscode.workspace.getConfiguration('bitbucket.browse');
    await browse.update('diskCache', false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.workspace.fs.readFile(at('VERSION'));
      api.browseForTests!.forgetMemory();
      await clearRequests();
      await vscode.workspace.fs.readFile(at('VERSION'));
      assert.ok((await apiRequests()) >= 1, 'read from Bitbucket again');
    } finally {
      await browse.update('diskCache', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('walks a deep tree and reads what is at its bottom', async () => {
    let folder = 'deep';
    for (let level = 1; level <= 12; level++) {
      folder += `/level-${String(level).padStart(2, '0')}`;
      assert.equal((await vscode.workspace.fs.stat(at(folder))).type, vscode.FileType.Directory, folder);
    }
    assert.deepEqual(
      Buffer.from(await vscode.workspace.fs.readFile(at(`${folder}/bottom.txt`))),
      await rawFromSandbox(`${folder}/bottom.txt`),
    );
  });

  it('opens a symlink, a submodule and a git-lfs pointer as what they are', async () => {
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(at('link-to-readme'))).toString(), 'README.md');
    const submodule = Buffer.from(await vscode.workspace.fs.readFile(at('vendor/hello-world'))).toString();
    assert.match(submodule, /vendor\/hello-world is a git submodule: another repository, pinned at commit [0-9a-f]{40}\./);
    const sub = SPECIAL_FILES.submoduleRepository;
    const cloneOfSubmodule = `${new URL(sandboxApiUrl()).origin}/${sub.workspace}/${sub.slug}.git`;
    assert.match(submodule, new RegExp(`Its repository: ${cloneOfSubmodule.replace(/[.]/g, '\\.')}\n`), 'its relative URL, made absolute');
    assert.match(submodule, /or run "Bitbucket: Open Bitbucket URL…" with that link/, 'the command as the palette shows it');
    const lfs = Buffer.from(await vscode.workspace.fs.readFile(at('assets/design.psd'))).toString();
    assert.match(lfs, /assets\/design\.psd is stored with Git LFS \(65,536 bytes\)/);
  });

  it('compares two of its files in VS Code’s diff editor', async () => {
    await vscode.commands.executeCommand('vscode.diff', at('docs/guide.md'), at('README.md'), 'guide ↔ README');
    await eventually('the diff editor shows both', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return (
        input instanceof vscode.TabInputTextDiff &&
        input.original.toString() === at('docs/guide.md').toString() &&
        input.modified.toString() === at('README.md').toString()
      );
    });
    const texts = vscode.workspace.textDocuments
      .filter((document) => document.uri.scheme === 'bitbucket')
      .map((document) => document.uri.path);
    assert.ok(
      texts.some((uri) => uri.endsWith('/docs/guide.md')) && texts.some((uri) => uri.endsWith('/README.md')),
      'both sides were read',
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Go to File lists every file of the commit and opens the one chosen', async () => {
    const count = await vscode.commands.executeCommand<number>('bitbucket.goToFile', root, { choose: 'docs/guide.md' });
    assert.ok(count > 1000, `every file, the 1,000 of many-files/ among them: ${count}`);
    await eventually('the chosen file is open', () => vscode.window.activeTextEditor?.document.uri.path === `${root.path}/docs/guide.md`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('refuses writes as read-only, changing nothing', async () => {
    const refused = await failureOf(() => vscode.workspace.fs.writeFile(at('README.md'), Buffer.from('changed')));
    assert.equal(refused.code, 'NoPermissions');
    await failureOf(() => vscode.workspace.fs.delete(at('README.md')));
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(at('README.md'))), await rawFromSandbox('README.md'));
  });

  it('a path that is not there is FileNotFound', async () => {
    assert.equal((await failureOf(() => vscode.workspace.fs.readFile(at('no-such-file.txt')))).code, 'FileNotFound');
    assert.equal((await failureOf(() => vscode.workspace.fs.readDirectory(at('docs/nowhere')))).code, 'FileNotFound');
  });

  it('another user’s private repository is refused as NoPermissions, with the reason', async () => {
    const other = vscode.Uri.from({ scheme: 'bitbucket', authority: root.authority, path: '/second-user/secret-diary' });
    const refused = await failureOf(() => vscode.workspace.fs.readDirectory(other));
    assert.equal(refused.code, 'NoPermissions');
    assert.match(refused.message, /permission|access|403/i);
  });

  it('a server failure is Unavailable with what to do, and the next read works again', async () => {
    // More failures than the client's retries (JSON has no Infinity).
    await addFault({ kind: 'status', status: 503, match: '/src/', times: 20 });
    try {
      const failed = await failureOf(() => vscode.workspace.fs.readFile(at('scripts/build.sh')));
      assert.equal(failed.code, 'Unavailable');
      assert.match(failed.message, /Bitbucket/);
    } finally {
      await clearFaults();
    }
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(at('scripts/build.sh'))), await rawFromSandbox('scripts/build.sh'));
  });

  it('a URI of an account that is not signed in says so', async () => {
    const stranger = vscode.Uri.from({
      scheme: 'bitbucket',
      authority: 'a0000000000000000',
      path: `/${SPECIAL.workspace}/${SPECIAL.slug}`,
    });
    const refused = await failureOf(() => vscode.workspace.fs.readDirectory(stranger));
    assert.equal(refused.code, 'Unavailable');
    assert.match(refused.message, /is not signed in/);
  });

  describe('switching branch or tag', () => {
    const names = async () => (await vscode.workspace.fs.readDirectory(root)).map(([name]) => name);
    const readme = async () => Buffer.from(await vscode.workspace.fs.readFile(at('README.md'))).toString();
    after(() => vscode.commands.executeCommand('bitbucket.switchBranch', root, { ref: 'main' }));

    it('moves the folder to a branch: its files are that branch’s', async () => {
      const onMain = await readme();
      const document = await vscode.workspace.openTextDocument(at('README.md'));
      assert.equal(document.getText(), onMain);
      await vscode.commands.executeCommand('bitbucket.switchBranch', root, { ref: 'develop' });
      assert.ok((await names()).includes('src'), 'develop adds src/');
      assert.ok(!(await names()).includes('empty.txt'), 'develop removes empty.txt');
      const onDevelop = await readme();
      assert.notEqual(onDevelop, onMain, 'the README is develop’s');
      // The open document follows: the file system told VS Code the file changed.
      await eventually('the open README shows develop’s text', () => document.getText() === onDevelop);
    });

    it('moves to a tag, and a refresh at a tag finds nothing new', async () => {
      await vscode.commands.executeCommand('bitbucket.switchBranch', root, { ref: 'v0.9', kind: 'tag' });
      assert.deepEqual((await names()).sort(), ['README.md', 'docs'].sort());
      const before = await readme();
      await vscode.commands.executeCommand('bitbucket.refreshBrowsed', root);
      assert.equal(await readme(), before);
    });

    it('says so when the branch is not there, and stays where it was', async () => {
      const api = await extensionApi();
      const shown = await errorShownBy(api, () =>
        vscode.commands.executeCommand('bitbucket.switchBranch', root, { ref: 'no-such-branch' }),
      );
      assert.match(shown ?? '', /has no branch "no-such-branch"/);
      assert.deepEqual((await names()).sort(), ['README.md', 'docs'].sort(), 'still at v0.9');
    });
  });

  describe('Open Bitbucket URL', () => {
    const web = async () =>
      (await getAsDemoUser<{ links: { html: { href: string } } }>(`repositories/${SPECIAL.workspace}/${SPECIAL.slug}`)).links.html.href;
    const openUrl = (url: string, how: string) => vscode.commands.executeCommand<string>('bitbucket.openUrl', { url, how });
    const names = async () => (await vscode.workspace.fs.readDirectory(root)).map(([name]) => name).sort();
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('bitbucket.switchBranch', root, { ref: 'main' });
    });

    it('opens a file of a branch whose name holds a slash, with the linked lines selected', async () => {
      const opened = await openUrl(`${await web()}/src/release/1.0/${SPECIAL_FILES.releaseOnlyFile}#lines-2:3`, 'file');
      assert.equal(opened, at(SPECIAL_FILES.releaseOnlyFile).toString());
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.toString(), opened, 'the file is in the active editor');
      assert.deepEqual([editor?.selection.start.line, editor?.selection.end.line], [1, 2], 'lines 2 to 3 are selected');
      assert.match(editor?.document.getText() ?? '', /Fixes on the release branch/);
      assert.ok((await names()).includes(SPECIAL_FILES.releaseOnlyFile), 'the repository is browsed at release/1.0');
    });

    it('opens a folder of a tag, and a bare repository link at the main branch', async () => {
      const folder = await openUrl(`${await web()}/src/v0.9/docs`, 'none');
      assert.equal(folder, at('docs').toString());
      assert.deepEqual(await names(), ['README.md', 'docs'], 'v0.9 holds only these');
      const repository = await openUrl(`${(await web()).replace(/^http:/, 'HTTP:')}/`, 'none');
      assert.equal(repository, root.toString());
      assert.ok((await names()).includes('empty.txt'), 'back at the main branch');
    });

    it('says what is wrong with a link it cannot open, and asks nothing of Bitbucket for one on another host', async () => {
      const api = await extensionApi();
      await clearRequests();
      const elsewhere = await errorShownBy(api, () => openUrl('https://example.com/acme/repository/src/main/README.md', 'file'));
      assert.match(elsewhere ?? '', /is not a link to a repository on a Bitbucket you are signed in to/);
      assert.deepEqual(await getRequests(), [], 'nothing was sent anywhere');
      const link = await web();
      const noRef = await errorShownBy(api, () => openUrl(`${link}/src/no-such-branch/README.md`, 'file'));
      assert.match(noRef ?? '', /has no branch, tag or commit "no-such-branch"/);
      const noPath = await errorShownBy(api, () => openUrl(`${link}/src/main/no/such/file.txt`, 'file'));
      assert.match(noPath ?? '', /no\/such\/file\.txt|not found|No such/i);
    });
  });

  it('opens a submodule’s repository at the commit it pins, as its notification offers', async () => {
    const note = Buffer.from(await vscode.workspace.fs.readFile(at(SPECIAL_FILES.submodule))).toString();
    const [, pinned] = /pinned at commit ([0-9a-f]{40})/.exec(note) ?? [];
    const [, url] = /Its repository: (\S+)/.exec(note) ?? [];
    const sub = SPECIAL_FILES.submoduleRepository;
    const opened = vscode.Uri.parse(await vscode.commands.executeCommand<string>('bitbucket.openUrl', { url, at: pinned, how: 'none' }));
    assert.equal(opened.path, `/${sub.workspace}/${sub.slug}`);
    const head = await getAsDemoUser<{ mainbranch: { name: string } }>(`repositories/${sub.workspace}/${sub.slug}`);
    const branch = await getAsDemoUser<{ target: { hash: string } }>(
      `repositories/${sub.workspace}/${sub.slug}/refs/branches/${head.mainbranch.name}`,
    );
    assert.equal(pinned, branch.target.hash, 'the sandbox pins hello-world’s main head');
    assert.equal(await vscode.commands.executeCommand<string>('bitbucket.refreshBrowsed', opened), pinned, 'browsed at the pinned commit');
  });

  it('Clone This Repository clones the branch being browsed', async function () {
    this.timeout(60_000);
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-it-clone-browsed-'));
    try {
      await vscode.commands.executeCommand('bitbucket.switchBranch', root, { ref: 'release/1.0' });
      const folder = await vscode.commands.executeCommand<string>('bitbucket.cloneBrowsed', root, {
        after: 'none',
        parentDirectory: parent,
      });
      assert.equal(folder, path.join(parent, SPECIAL.slug));
      const branch = execFileSync('git', ['-C', folder, 'rev-parse', '--abbrev-ref', 'HEAD'], { encoding: 'utf8' }).trim();
      assert.equal(branch, 'release/1.0', 'the browsed branch is checked out');
      assert.ok(fs.existsSync(path.join(folder, SPECIAL_FILES.releaseOnlyFile)), 'with that branch’s files');
      assert.doesNotMatch(
        fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8'),
        new RegExp(DEMO.apiToken),
        'no token in .git/config',
      );
    } finally {
      await vscode.commands.executeCommand('bitbucket.switchBranch', root, { ref: 'main' });
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  describe('links to a file and its lines', () => {
    const webOf = async (workspace: string, slug: string) =>
      (await getAsDemoUser<{ links: { html: { href: string } } }>(`repositories/${workspace}/${slug}`)).links.html.href;

    it('in a browsed repository: pinned to the commit it shows, with the selected lines', async () => {
      const document = await vscode.workspace.openTextDocument(at('docs/guide.md'));
      const editor = await vscode.window.showTextDocument(document);
      editor.selection = new vscode.Selection(1, 0, 3, 2);
      const link = await vscode.commands.executeCommand<string>('bitbucket.copyFileLink');
      const commit = (await vscode.commands.executeCommand<string>('bitbucket.refreshBrowsed', root)) ?? '';
      assert.match(commit, /^[0-9a-f]{40}$/);
      assert.equal(link, `${await webOf(SPECIAL.workspace, SPECIAL.slug)}/src/${commit}/docs/guide.md#lines-2:4`);
      assert.equal(await vscode.env.clipboard.readText(), link);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('in a clone: pinned to HEAD, one line, the whole file without a selection', async function () {
      this.timeout(60_000);
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-it-links-'));
      try {
        const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
          repository: { container: 'demo-user', slug: 'hello-world' },
          parentDirectory: parent,
          afterClone: 'none',
        });
        const head = execFileSync('git', ['-C', folder, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
        const gitExtension = vscode.extensions.getExtension<GitExtension>('vscode.git')!;
        const gitApi = (gitExtension.isActive ? gitExtension.exports : await gitExtension.activate()).getAPI(1);
        await allowGitOutsideWorkspace(async () => {
          assert.ok(await gitApi.openRepository(vscode.Uri.file(folder)), 'VS Code git opened the clone');
          const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'README.md')));
          const web = await webOf('demo-user', 'hello-world');
          editor.selection = new vscode.Selection(0, 3, 0, 3);
          assert.equal(await vscode.commands.executeCommand<string>('bitbucket.copyFileLink'), `${web}/src/${head}/README.md`);
          editor.selection = new vscode.Selection(2, 1, 2, 4);
          assert.equal(await vscode.commands.executeCommand<string>('bitbucket.copyFileLink'), `${web}/src/${head}/README.md#lines-3`);
          await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        });
      } finally {
        fs.rmSync(parent, { recursive: true, force: true });
      }
    });

    it('says so for a file that is in no Bitbucket repository', async () => {
      const api = await extensionApi();
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-it-nolink-'));
      try {
        fs.writeFileSync(path.join(folder, 'notes.txt'), 'hello\n');
        await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'notes.txt')));
        const shown = await errorShownBy(api, () => vscode.commands.executeCommand('bitbucket.copyFileLink'));
        assert.match(shown ?? '', /is not in a git repository that VS Code's git has open/);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  describe('signing out', () => {
    after(() => signInWithApiToken());

    it('clears what was read without cloning from the disk cache', async () => {
      const userData = process.env.BITBUCKET_USER_DATA_DIR;
      assert.ok(userData, 'the launcher names the user-data-dir');
      const cacheFiles = () => {
        const found: string[] = [];
        const walk = (dir: string) => {
          for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (/^[fd]-[0-9a-f]{64}\.bbc$/.test(entry.name) && dir.endsWith('browse-cache')) found.push(full);
          }
        };
        walk(userData);
        return found;
      };
      await vscode.workspace.fs.readFile(at('images/logo.png'));
      await eventually('the disk cache holds what was read', () => cacheFiles().length > 0);
      await signOut();
      assert.deepEqual(cacheFiles(), [], 'nothing read without cloning stays on disk');
    });
  });
});
