// Packages the extension the way `npm run package` does and checks that the .vsix holds only what runs in
// the editor: the manifest, the bundle and its helpers, the media, and the docs. Anything else (sources,
// tests, compiled tests, node_modules, source maps) means .vscodeignore let it through.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

import { localizedManifest, repoRoot } from '../harness/paths';
import { vscePackage } from '../harness/stage';

/** Every entry allowed in the .vsix. Add to it deliberately, when the extension needs a new file at run time. */
const ALLOWED: RegExp[] = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  // The manifest's words (its %key%s) and the code's messages for translators (scripts/l10n.js).
  /^extension\/package\.nls\.json$/,
  /^extension\/l10n\/bundle\.l10n\.json$/,
  /^extension\/dist\/extension\.js$/,
  // What it requires on first use, and the error classes they share (SPLIT in esbuild.js).
  /^extension\/dist\/(shared|cloud|clone|flows|browse|diskCache)\.js$/,
  // The git askpass programs the extension hands to git (see src/git/).
  /^extension\/dist\/askpass-main\.js$/,
  /^extension\/dist\/askpass(-bash)?\.sh$/,
  /^extension\/media\/[^/]+\.(png|svg)$/,
  // The README's pictures (`npm run screenshots`); the test below checks each shipped one is linked.
  /^extension\/media\/screenshots\/[^/]+\.png$/,
  // The Get Started walkthrough's pages; not their pseudo-locale copies (a test language, as l10n/ is).
  /^extension\/media\/walkthrough\/(?![^/]*\.qps-ploc\.)[^/]+\.(md|png|svg)$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/license(\.txt|\.md)?$/i,
];

const REQUIRED = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  // Without it, every title and description of the manifest would show as its %key%.
  'extension/package.nls.json',
  'extension/dist/extension.js',
  // git cannot get credentials without these.
  'extension/dist/askpass-main.js',
  'extension/dist/askpass.sh',
  'extension/dist/askpass-bash.sh',
];

/** Names of the entries in a zip file, read from its central directory. */
function zipEntries(zip: Buffer): string[] {
  const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  const CENTRAL_FILE_HEADER = 0x02014b50;
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  assert.ok(end >= 0, 'not a zip file: no end-of-central-directory record');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), CENTRAL_FILE_HEADER, 'corrupt zip central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** The relative image links of a Markdown file: `![alt](path)` and `<img src="path">`. */
function relativeImages(markdown: string): string[] {
  const links = [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)/g), ...markdown.matchAll(/<img[^>]*\ssrc=["']([^"']+)["']/g)].map(
    ([, link]) => link,
  );
  return links.filter((link) => !/^[a-z][\w+.-]*:/i.test(link) && !link.startsWith('#'));
}

test('the .vsix contains only the manifest, the bundle, media and docs', { timeout: 180_000 }, (t) => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-vsix-'));
  t.after(() => fs.rmSync(outDir, { recursive: true, force: true }));
  const vsix = path.join(outDir, 'package.vsix');

  // The command of `npm run package`; vsce runs `vscode:prepublish` (the production build) first.
  const result = vscePackage(repoRoot, vsix);
  assert.equal(result.status, 0, `vsce package failed:\n${result.stdout}\n${result.stderr}`);

  const entries = zipEntries(fs.readFileSync(vsix)).filter((name) => !name.endsWith('/'));
  const unexpected = entries.filter((name) => !ALLOWED.some((pattern) => pattern.test(name)));
  assert.deepEqual(unexpected, [], `files that should not ship (fix .vscodeignore):\n  ${unexpected.join('\n  ')}`);
  for (const name of REQUIRED) assert.ok(entries.includes(name), `${name} is missing from the package`);

  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string };
  assert.ok(entries.includes(path.posix.join('extension', manifest.main)), `package.json "main" (${manifest.main}) is not in the package`);
  const bundle = fs.readFileSync(path.join(repoRoot, 'dist', 'extension.js'), 'utf8');
  assert.doesNotMatch(bundle, /sourceMappingURL/, 'the packaged bundle points at a source map');

  // Every bundle a shipped bundle requires ships too: the split ones are found only when first needed, too late
  // for any check at activation to notice.
  for (const name of entries.filter((entry) => /^extension\/dist\/[^/]+\.js$/.test(entry))) {
    const code = fs.readFileSync(path.join(repoRoot, name.slice('extension/'.length)), 'utf8');
    for (const [, required] of code.matchAll(/require\("\.\/([\w-]+\.js)"\)/g)) {
      assert.ok(entries.includes(`extension/dist/${required}`), `${name} requires ./${required}, which is not in the package`);
    }
  }

  // The README ships as written (`--no-rewrite-relative-links`): each picture it shows is in the package at
  // the path it names, and each picture shipped is one it shows.
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const shown = relativeImages(readme).map((link) => path.posix.join('extension', path.posix.normalize(decodeURI(link))));
  for (const entry of shown) {
    assert.ok(entries.includes(entry), `README.md shows ${entry.slice('extension/'.length)}, which is not in the package`);
  }
  const unshown = entries.filter((name) => name.startsWith('extension/media/screenshots/') && !shown.includes(name));
  assert.deepEqual(unshown, [], 'pictures shipped that README.md does not show (fix .vscodeignore or the README)');

  // The walkthrough's pages and pictures, named in the manifest, ship too.
  const { contributes } = localizedManifest<{ contributes: { walkthroughs?: { steps: { media: Record<string, unknown> }[] }[] } }>();
  for (const step of (contributes.walkthroughs ?? []).flatMap((walkthrough) => walkthrough.steps)) {
    const files = [step.media.markdown, step.media.svg, step.media.image].filter((value): value is string => typeof value === 'string');
    for (const media of files) {
      assert.ok(entries.includes(path.posix.join('extension', media)), `the walkthrough shows ${media}, which is not in the package`);
    }
  }

  const size = fs.statSync(vsix).size;
  t.diagnostic(`${entries.length} files, ${(size / 1024).toFixed(1)} KiB: ${entries.join(', ')}`);
});
