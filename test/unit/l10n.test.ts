/**
 * Localisation: `t` (the words of the layers without `vscode`) reads VS Code's table the way vscode.l10n.t does;
 * scripts/l10n.js extracts every message and makes the pseudo-locale; the lint rule fails on a word that
 * bypasses both; package.json shows no word that is not in package.nls.json.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ESLint } from 'eslint';

import { ManifestCommand, paletteTitle, t, useL10nBundle, usePaletteTitles } from '../../src/common/l10n';
import { localizedManifest, repoRoot } from '../harness/paths';

interface L10nScript {
  messagesOf(file: string, text?: string): { key: string; message: string; comment?: string[] }[];
  extractBundle(): Record<string, string | { message: string; comment: string[] }>;
  pseudo(text: string): string;
  manifestProblems(manifest: unknown, nls: Record<string, string>): string[];
  generatedFiles(): Record<string, string>;
}
interface Walkthroughs {
  contributes: { walkthroughs: { steps: { media: { markdown: string } }[] }[] };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require(path.join(repoRoot, 'scripts', 'l10n.js')) as L10nScript;

describe('paletteTitle', () => {
  after(() => usePaletteTitles(undefined));

  it('names a command as the palette shows it, from the manifest VS Code filled in', () => {
    usePaletteTitles([
      { command: 'bitbucket.signIn', title: 'Šíĝñ Íñ', category: 'Ɓíţƀüçķéţ' },
      { command: 'bitbucket.addAccount', title: { value: 'Áďď Áççöüñţ…' }, category: { value: 'Ɓíţƀüçķéţ' } },
      { command: 'bitbucket.refresh', title: 'Refresh' },
    ]);
    assert.equal(paletteTitle('bitbucket.signIn'), 'Ɓíţƀüçķéţ: Šíĝñ Íñ');
    assert.equal(paletteTitle('bitbucket.addAccount'), 'Ɓíţƀüçķéţ: Áďď Áççöüñţ…', 'a translated title comes as { value, original }');
    assert.equal(paletteTitle('bitbucket.refresh'), 'Refresh', 'no category: the title alone');
    assert.equal(paletteTitle('bitbucket.unknown'), 'bitbucket.unknown', 'unknown: its id, never nothing');
  });

  it('every command a message names is in the manifest', () => {
    const { contributes } = localizedManifest<{ contributes: { commands: ManifestCommand[] } }>();
    usePaletteTitles(contributes.commands);
    for (const [id, shown] of [
      ['bitbucket.signIn', 'Bitbucket: Sign In'],
      ['bitbucket.addAccount', 'Bitbucket: Add Account…'],
      ['bitbucket.openUrl', 'Bitbucket: Open Bitbucket URL…'],
    ]) {
      assert.equal(paletteTitle(id), shown);
    }
  });
});

describe('t', () => {
  after(() => useL10nBundle(undefined));

  it('without a table (English) gives the message with its placeholders filled in', () => {
    useL10nBundle(undefined);
    assert.equal(t('Cloning {0} into {1}…', 'acme/x', '/tmp'), 'Cloning acme/x into /tmp…');
    assert.equal(t('{name} has {count} repositories', { name: 'acme', count: 3 }), 'acme has 3 repositories');
    assert.equal(t('Left {0} as it is; {1} has none', 'a'), 'Left a as it is; {1} has none');
  });

  it('reads the table by message, or by message/comment, as vscode.l10n.t does', () => {
    useL10nBundle({
      'Open {0}': 'Öþéñ {0}',
      'Open/Button: opens the folder': { message: 'Öþéñ ţĥé ƒöļďéŕ' },
    });
    assert.equal(t('Open {0}', 'x'), 'Öþéñ x');
    assert.equal(t({ message: 'Open', comment: ['Button: opens the folder'] }), 'Öþéñ ţĥé ƒöļďéŕ');
    assert.equal(t({ message: 'Open', comment: 'Button: ', args: [] }), 'Open', 'another comment is another key');
    assert.equal(t('Not translated yet'), 'Not translated yet');
  });
});

describe('scripts/l10n.js', () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'l10n-test-'));
  after(() => fs.rmSync(temp, { recursive: true, force: true }));

  it('extracts vscode.l10n.t and our t, with comments in the key, and refuses a message that is not a literal', () => {
    const file = path.join(temp, 'sample.ts');
    const source = [
      "import * as vscode from 'vscode';",
      "import { t } from '../common/l10n';",
      "vscode.l10n.t('Cloning {0}…', name);",
      "t({ message: 'Open', comment: ['Button: opens ', 'the folder'] });",
      "other.t('not ours');",
    ].join('\n');
    assert.deepEqual(
      script.messagesOf(file, source).map(({ key, message, comment }) => ({ key, message, comment })),
      [
        { key: 'Cloning {0}…', message: 'Cloning {0}…', comment: undefined },
        { key: 'Open/Button: opens the folder', message: 'Open', comment: ['Button: opens ', 'the folder'] },
      ],
    );
    assert.throws(
      () => script.messagesOf(file, "import * as vscode from 'vscode';\nvscode.l10n.t(`Cloning ${name}`);"),
      /must be a string literal/,
    );
  });

  it('a `t` that is not src/common/l10n.ts’s is not taken for a message', () => {
    const file = path.join(temp, 'other.ts');
    assert.deepEqual(script.messagesOf(file, "import { t } from './table';\nt('x y');"), []);
  });

  it('the pseudo-locale accents letters and keeps placeholders, codicons, code, links and names typed as they are', () => {
    assert.equal(script.pseudo('Clone {0} now'), 'Çļöñé {0} ñöŵ');
    assert.equal(
      script.pseudo('Check bitbucket.apiUrl, the scope read:repository:bitbucket and NODE_EXTRA_CA_CERTS.'),
      'Çĥéçķ bitbucket.apiUrl, ţĥé šçöþé read:repository:bitbucket áñď NODE_EXTRA_CA_CERTS.',
    );
    assert.equal(
      script.pseudo('$(key) Use `git` and [Sign in](command:bitbucket.signIn) at https://id.atlassian.com/x, see #git.path#'),
      '$(key) Üšé `git` áñď [Šíĝñ íñ](command:bitbucket.signIn) áţ https://id.atlassian.com/x, šéé #git.path#',
    );
  });

  it('the committed bundles are those the sources make (npm run l10n writes them)', () => {
    for (const [file, text] of Object.entries(script.generatedFiles())) {
      assert.equal(fs.readFileSync(file, 'utf8'), text, `${path.relative(repoRoot, file)} is out of date: run npm run l10n`);
    }
    assert.ok(Object.keys(script.extractBundle()).length > 200, 'the bundle has the extension’s messages');
  });

  it('each walkthrough page is a %key% too; the pseudo-locale names a page of its own beside it, links unchanged', () => {
    const english = localizedManifest<Walkthroughs>();
    const pseudo = localizedManifest<Walkthroughs>('package.nls.qps-ploc.json');
    const pages = (manifest: Walkthroughs) =>
      manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps.map((step) => step.media.markdown));
    const files = script.generatedFiles();
    assert.equal(pages(english).length, 5);
    pages(english).forEach((page, index) => {
      const translated = pages(pseudo)[index];
      assert.equal(translated, page.replace(/\.md$/, '.qps-ploc.md'), 'beside the English page, so relative links hold');
      const text = files[path.join(repoRoot, translated)];
      assert.ok(text, `${translated} is generated`);
      const source = fs.readFileSync(path.join(repoRoot, page), 'utf8');
      const targets = (markdown: string) => [...markdown.matchAll(/\]\(([^)]*)\)/g)].map((match) => match[1]);
      assert.deepEqual(targets(text), targets(source), `${translated}: the same links and pictures`);
      assert.notEqual(text.split('\n')[0], source.split('\n')[0], `${translated}: its heading is in the pseudo-locale`);
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    manifest.contributes.walkthroughs[0].steps[0].media.markdown = 'media/walkthrough/signIn.md';
    const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8'));
    assert.ok(
      script.manifestProblems(manifest, nls).some((problem) => /media\.markdown shows "media\/walkthrough\/signIn\.md"/.test(problem)),
      'a page named as it is fails the check',
    );
  });

  it('package.json shows no word of its own: each is a %key% of package.nls.json, and every key is used', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8'));
    assert.deepEqual(script.manifestProblems(manifest, nls), []);
    const broken = structuredClone(manifest);
    broken.contributes.commands[0].title = 'Sign In';
    broken.contributes.views = { x: [{ id: 'x', name: '%view.missing.name%' }] };
    const problems = script.manifestProblems(broken, nls);
    assert.ok(
      problems.some((problem) => /commands\[0\]\.title shows "Sign In"/.test(problem)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((problem) => /%view\.missing\.name%, which package\.nls\.json does not have/.test(problem)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((problem) => /"view\.repositories\.name", which package\.json does not use/.test(problem)),
      problems.join('\n'),
    );
  });
});

describe('the lint rule l10n/user-facing-strings (the project’s own eslint.config.mjs)', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const problemsIn = async (code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, 'src', 'l10nRuleSample.ts') });
    return result.messages.filter((message) => message.ruleId === 'l10n/user-facing-strings').map((message) => message.line);
  };

  it('reports words a person reads that bypass l10n.t', async () => {
    const code = [
      "import * as vscode from 'vscode';", // 1
      'export function f(name: string, item: vscode.TreeItem): unknown {', // 2
      "  void vscode.window.showErrorMessage('Something failed', 'Retry');", // 3
      '  item.tooltip = `Cloned ${name}`;', // 4
      "  const pick = { label: 'Public' };", // 5
      "  if (!name) throw new Error('The name is empty.');", // 6
      "  return [pick, new vscode.TreeItem('Load more')];", // 7
      '}',
    ].join('\n');
    assert.deepEqual(await problemsIn(code), [3, 3, 4, 5, 6, 7]);
  });

  it('lets through translated words, log lines, keys, comparisons and identifiers', async () => {
    const code = [
      "import * as vscode from 'vscode';",
      "import { t } from './common/l10n';",
      'declare const log: { info(message: string): void };',
      'export function f(name: string, choice?: string): unknown {',
      "  const retry = vscode.l10n.t('Retry');",
      "  void vscode.window.showErrorMessage(vscode.l10n.t('Cloning {0} failed', name), retry);",
      "  void vscode.l10n.t({ message: 'Open the folder', comment: ['Button: opens the clone'] });",
      '  log.info(`Cloning ${name} into the folder`);',
      "  if (choice === 'Sign In') return { 'Content-Type': 'application/json', label: t('Public') };",
      "  return vscode.commands.executeCommand('bitbucket.signIn');",
      '}',
    ].join('\n');
    assert.deepEqual(await problemsIn(code), []);
  });
});
