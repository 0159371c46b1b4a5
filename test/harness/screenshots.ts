// Regenerates the README's pictures from the real product: runs the UI tests that take them (each calls
// `UiSession.picture`), then copies test-results/pictures/<name>.png into media/screenshots/.
//   node out/test/harness/screenshots.js [--no-run]
// `--no-run` copies what the last UI run took.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { picturesDir, repoRoot } from './paths';

/** Each picture the README shows, and the UI test that takes it. */
export const PICTURES: Readonly<Record<string, string>> = {
  tree: 'test/ui/tree.test.ts',
  clone: 'test/ui/clone.test.ts',
  create: 'test/ui/create.test.ts',
  browse: 'test/ui/browse.test.ts',
  accounts: 'test/ui/accounts.test.ts',
};

export const mediaDir = path.join(repoRoot, 'media', 'screenshots');

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(file: string): { width: number; height: number } {
  const header = fs.readFileSync(file).subarray(0, 24);
  if (header.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${file} is not a PNG`);
  return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
}

function main(): void {
  const run = !process.argv.includes('--no-run');
  if (run) {
    for (const name of Object.keys(PICTURES)) fs.rmSync(path.join(picturesDir, `${name}.png`), { force: true });
    const files = [...new Set(Object.values(PICTURES))].map((file) =>
      path.join(repoRoot, file.replace(/^test\//, 'out/test/').replace(/\.ts$/, '.js')),
    );
    const result = spawnSync(process.execPath, [path.join(__dirname, 'run-ui-tests.js'), ...files], { stdio: 'inherit', cwd: repoRoot });
    if (result.status !== 0) {
      console.error('The UI tests that take the pictures failed; media/ is left as it was.');
      process.exit(result.status ?? 1);
    }
  }
  const missing = Object.keys(PICTURES).filter((name) => !fs.existsSync(path.join(picturesDir, `${name}.png`)));
  if (missing.length > 0) {
    console.error(`No picture ${missing.join(', ')} in ${path.relative(repoRoot, picturesDir)}: run without --no-run.`);
    process.exit(1);
  }
  fs.mkdirSync(mediaDir, { recursive: true });
  for (const name of Object.keys(PICTURES)) {
    const target = path.join(mediaDir, `${name}.png`);
    fs.copyFileSync(path.join(picturesDir, `${name}.png`), target);
    const { width, height } = pngSize(target);
    console.log(`${path.relative(repoRoot, target)}  ${width}×${height}  ${(fs.statSync(target).size / 1024).toFixed(0)} KiB`);
  }
}

if (require.main === module) main();
