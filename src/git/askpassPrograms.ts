/** Where the shipped askpass programs are, made executable (a .vsix does not keep file modes). */
import { constants } from 'fs';
import * as fs from 'fs/promises';
import * as path from 'path';
import { AskpassPrograms } from './askpassServer';

/** The bash askpass script's interpreter (its `#!` line); without it, git's askpass is the Node program. */
export const BASH = '/bin/bash';

export async function askpassPrograms(extensionPath: string, storagePath: string): Promise<AskpassPrograms> {
  const dist = path.join(extensionPath, 'dist');
  const main = path.join(dist, 'askpass-main.js');
  const script = path.join(dist, 'askpass.sh');
  if (process.platform === 'win32') return { script, main, node: process.execPath };
  return {
    script: await executable(script, storagePath),
    bashScript: (await hasBash()) ? await executable(path.join(dist, 'askpass-bash.sh'), storagePath) : undefined,
    main,
    node: process.execPath,
  };
}

export async function hasBash(): Promise<boolean> {
  try {
    await fs.access(BASH, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function executable(script: string, storagePath: string): Promise<string> {
  try {
    await fs.chmod(script, 0o755);
    return script;
  } catch {
    // A read-only install: use an executable copy in the extension's own storage.
    await fs.mkdir(storagePath, { recursive: true });
    const copy = path.join(storagePath, path.basename(script));
    await fs.copyFile(script, copy);
    await fs.chmod(copy, 0o755);
    return copy;
  }
}
