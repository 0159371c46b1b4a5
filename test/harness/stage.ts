// What the .vsix holds, without `npm run package`: the files .vscodeignore lets through (its `!path` lines) copied
// as they are into a folder of their own, and, for tests that install the extension as a user does, a .vsix made
// from that folder. Packaging this way never runs `vscode:prepublish` (the production build), so it neither
// rebuilds nor deletes the dist/ that other tests are using: the .vsix holds the build that is there.
import { SpawnSyncReturns, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { repoRoot, requireBuilt } from './paths';

/** The files the .vsix ships, relative to the repo root: the `!path` lines of .vscodeignore. */
export function shippedFiles(): string[] {
  const shipped = fs
    .readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1));
  for (const file of shipped) {
    if (/[*?[\]{}]/.test(file)) throw new Error(`.vscodeignore line !${file} is a pattern; staging copies plain paths only.`);
  }
  return shipped;
}

/**
 * Copies what the .vsix would hold into `target`, keeping each file's mode (the askpass scripts must stay
 * executable). A listed file that does not exist is skipped, as vsce skips it.
 */
export function stageExtension(target: string): void {
  requireBuilt('dist/extension.js');
  for (const file of shippedFiles()) {
    const from = path.join(repoRoot, file);
    if (!fs.existsSync(from)) continue;
    const to = path.join(target, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    fs.chmodSync(to, fs.statSync(from).mode);
  }
}

/** vsce's entry script, from its own package.json. */
function vsceBin(): string {
  const manifestPath = require.resolve('@vscode/vsce/package.json', { paths: [repoRoot] });
  const { bin } = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  return path.join(path.dirname(manifestPath), typeof bin === 'string' ? bin : bin.vsce);
}

/** What `npm run package` passes to vsce, read from package.json, so that every .vsix made here is made as it makes one. */
export function vscePackageArguments(): string[] {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...rest] = scripts.package.split(/\s+/);
  if (command !== 'vsce') throw new Error(`npm run package no longer runs vsce: ${scripts.package}`);
  return rest;
}

/**
 * `vsce package` with those arguments, in `cwd`, into `vsix`. vsce runs the `vscode:prepublish` script of the
 * package.json it finds there, if any. Output is piped, so vsce never waits at a y/N prompt.
 */
export function vscePackage(cwd: string, vsix: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [vsceBin(), ...vscePackageArguments(), '--out', vsix], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}

/**
 * Packages the build in dist/ as it is into `vsix`: stages the shipped files into `stagingDir` (which must be
 * empty or absent), drops `scripts` from the staged manifest so vsce runs no `vscode:prepublish`, and runs vsce
 * there as `npm run package` does (vscePackage).
 */
export function packageCurrentBuild(stagingDir: string, vsix: string): string {
  stageExtension(stagingDir);
  const manifestFile = path.join(stagingDir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
  delete manifest.scripts;
  const main = typeof manifest.main === 'string' ? manifest.main : './dist/extension.js';
  if (!fs.existsSync(path.join(stagingDir, main))) throw new Error(`${main} was not staged: is dist/ being rebuilt?`);
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.mkdirSync(path.dirname(vsix), { recursive: true });
  const result = vscePackage(stagingDir, vsix);
  if (result.status !== 0 || !fs.existsSync(vsix)) {
    throw new Error(`vsce package failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return vsix;
}
