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
