/** Where the shipped askpass program is, made executable (a .vsix does not keep file modes). */
import * as fs from 'fs/promises';
import * as path from 'path';
import { AskpassPrograms } from './askpassServer';

export async function askpassPrograms(extensionPath: string, storagePath: string): Promise<AskpassPrograms> {
  const main = path.join(extensionPath, 'dist', 'askpass-main.js');
  let script = path.join(extensionPath, 'dist', 'askpass.sh');
  if (process.platform !== 'win32') {
    try {
      await fs.chmod(script, 0o755);
    } catch {
      // A read-only install: use an executable copy in the extension's own storage.
      await fs.mkdir(storagePath, { recursive: true });
      const copy = path.join(storagePath, 'askpass.sh');
      await fs.copyFile(script, copy);
      await fs.chmod(copy, 0o755);
      script = copy;
    }
  }
  return { script, main, node: process.execPath };
}
