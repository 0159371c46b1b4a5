// The extension in a workbench whose display language is the pseudo-locale `qps-ploc`: VS Code picks up the
// extension's own bundles (l10n/bundle.l10n.qps-ploc.json and package.nls.qps-ploc.json, made by
// `npm run l10n`), and the words people read come from them: the manifest's titles, messages of the code that
// imports `vscode` (vscode.l10n.t), and messages of the layers that do not (t from src/common/l10n.ts, which
// reads the same table). Run by `npm run test:integration` in a workbench of its own.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { englishManifest, englishOf, pseudoBundle as pseudo, pseudoManifest } from '../harness/l10nBundles';
import { ACCOUNTS_KEY, accountKey } from '../../src/auth/accountStore';
import {
  children,
  errorShownBy,
  eventually,
  EXTENSION_ID,
  extensionApi,
  labelOf,
  signInWithAccessToken,
  signInWithApiToken,
  signOut,
} from '../integration/extensionApi';
import { clearFaults, reset } from '../integration/sandbox-control';
import { DEMO } from '../sandbox/seed';
import { SPECIAL_FILES } from '../sandbox/special-repository';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The English key of the bundle entry whose pseudo-locale text `shown` is, once its placeholders are filled in
 * (a placeholder may hold anything, including another message). Undefined when `shown` is no entry's.
 */
function entryShowing(shown: string): string | undefined {
  const candidates = Object.keys(pseudo).filter((key) => {
    const pattern = pseudo[key]
      .split(/(\{[^{}\s]+\})/)
      .map((part, index) => (index % 2 === 1 ? '[\\s\\S]*' : escape(part)))
      .join('');
    return new RegExp(`^${pattern}$`).test(shown);
  });
  // The most specific entry: the one with the most of its own words.
  return candidates.sort((a, b) => pseudo[b].replace(/\{[^{}\s]+\}/g, '').length - pseudo[a].replace(/\{[^{}\s]+\}/g, '').length)[0];
}

describe('In the pseudo-locale (qps-ploc)', () => {
  before(async () => {
    await extensionApi();
  });

  afterEach(async () => {
    await clearFaults();
    await signOut();
  });

  it('VS Code loads the extension’s qps-ploc bundle', () => {
    assert.equal(vscode.env.language, 'qps-ploc');
    assert.ok(vscode.l10n.uri?.path.endsWith('/l10n/bundle.l10n.qps-ploc.json'), `bundle uri: ${vscode.l10n.uri?.toString()}`);
    assert.deepEqual(vscode.l10n.bundle, pseudo);
  });

  it('the manifest’s words come from package.nls.qps-ploc.json', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const manifest = extension?.packageJSON as {
      contributes: { commands: { command: string; title: string | { value: string } }[]; views: Record<string, { id: string; name: string }[]> };
    };
    const signIn = manifest.contributes.commands.find((command) => command.command === 'bitbucket.signIn');
    const title = typeof signIn?.title === 'string' ? signIn.title : signIn?.title.value;
    assert.equal(title, pseudoManifest['command.signIn.title']);
    assert.notEqual(title, englishManifest['command.signIn.title']);
    const view = Object.values(manifest.contributes.views)
      .flat()
      .find((entry) => entry.id === 'bitbucket.repositories');
    assert.equal(view?.name, pseudoManifest['view.repositories.name']);
  });

  it('a tree row made with vscode.l10n.t reads in the pseudo-locale', async () => {
    const api = await extensionApi();
    await reset();
    await signInWithApiToken();
    const workspace = (await children(api)).find((node) => (node as unknown as { slug?: string }).slug === DEMO.largeWorkspace);
    assert.ok(workspace, 'the large workspace is in the tree');
    const rows = await children(api, workspace);
    const last = labelOf(api, rows[rows.length - 1]);
    const key = entryShowing(last);
    assert.ok(key, `"${last}" is not in the pseudo-locale bundle`);
    assert.match(englishOf(key), /Load more/);
  });

  it('an error of the REST layer (t, in the shared bundle) reads in the pseudo-locale', async () => {
    const api = await extensionApi();
    const message = await errorShownBy(api, () => signInWithApiToken('ATATT3xWrongToken', DEMO.email));
    assert.ok(message, 'the refused sign-in says why');
    const key = entryShowing(message);
    assert.ok(key, `"${message}" is not in the pseudo-locale bundle`);
    assert.match(englishOf(key), /email and API token/);
  });

  it('an account named in words at an English sign-in reads in the pseudo-locale', async () => {
    const api = await extensionApi();
    const secrets = api.secretsForTests!;
    await reset();
    await signInWithAccessToken();
    const [token] = api.accounts();
    const record = JSON.parse((await secrets.get(accountKey(token.id)))!) as { account: { label: string } };
    await signOut();
    // The record as a sign-in kept it while VS Code was in English, read again after the language changed.
    const english = `Access token for ${DEMO.accessToken.workspace}`;
    record.account.label = english;
    await secrets.store(accountKey(token.id), JSON.stringify(record));
    await secrets.store(ACCOUNTS_KEY, JSON.stringify([token.id]));
    await eventually('signed in from the English record', () => api.authState() === 'signedIn');
    assert.equal((JSON.parse((await secrets.get(accountKey(token.id)))!) as typeof record).account.label, english, 'the record is left as it was');
    const shown = api.account()!.label;
    assert.notEqual(shown, english);
    const key = entryShowing(shown);
    assert.equal(key && englishOf(key), 'Access token for {0}', `"${shown}" is the access token's name in the pseudo-locale`);
  });

  it('a message that names a command names it as the palette shows it, in the pseudo-locale', async () => {
    await reset();
    await signInWithApiToken();
    const root = vscode.Uri.parse(
      await vscode.commands.executeCommand<string>('bitbucket.openWithoutCloning', {
        repository: { container: SPECIAL_FILES.workspace, slug: SPECIAL_FILES.slug },
        how: 'none',
      }),
    );
    const note = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, SPECIAL_FILES.submodule))).toString();
    const palette = `${pseudoManifest['command.category']}: ${pseudoManifest['command.openUrl.title']}`;
    assert.ok(note.includes(`"${palette}"`), `the submodule's note names "${palette}": ${note}`);
  });
});
