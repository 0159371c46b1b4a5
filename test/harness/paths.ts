// Where things live, computed from this file so the harness works from out/ and from any working directory.
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'bitbucket-repositories') {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`No bitbucket-repositories package.json above ${start}`);
  }
}

export const repoRoot = findRepoRoot(__dirname);
export const resultsDir = path.join(repoRoot, 'test-results');
export const screenshotsDir = path.join(resultsDir, 'screenshots');
/** The README's pictures, as the UI tests took them last (`npm run screenshots` copies them into media/). */
export const picturesDir = path.join(resultsDir, 'pictures');

export function readManifest(): { name: string; publisher: string; version: string } {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
}

/**
 * package.json as VS Code shows it in English: every `%key%` replaced by its text in package.nls.json, the way
 * the editor fills them in. Tests that follow the manifest's titles and descriptions read this one.
 */
export function localizedManifest<T = unknown>(nlsFile = 'package.nls.json'): T {
  const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, nlsFile), 'utf8')) as Record<string, string>;
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const key = /^%(.+)%$/.exec(value)?.[1];
      if (key === undefined) return value;
      if (!(key in nls)) throw new Error(`package.json uses %${key}%, which ${nlsFile} does not have`);
      return nls[key];
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return fill(JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))) as T;
}

export function extensionId(): string {
  const { publisher, name } = readManifest();
  return `${publisher}.${name}`;
}

/** Fails early with the command that fixes it, instead of a confusing error deep inside the editor. */
export function requireBuilt(...files: string[]): void {
  for (const file of files) {
    if (!fs.existsSync(path.join(repoRoot, file))) {
      throw new Error(`${file} is missing; run \`npm run build && npm run compile-tests\` first.`);
    }
  }
}
