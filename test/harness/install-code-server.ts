// Installs code-server (VS Code in the browser) once into a cache folder outside the repo, following the
// offline recipe in VSCODE-OFFLINE.md: its own postinstall downloads ripgrep and fails without internet.
//
// The install is built in a staging folder and renamed into place only after a marker file is written, so a
// cancelled or failed install is never mistaken for a complete one. A lock folder keeps two concurrent runs
// from building at the same time; the second waits and reuses the first one's result.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

const MARKER = '.install-complete.json';
const LOCK_WAIT_MS = 15 * 60_000;

export interface CodeServerInstall {
  /** Folder that holds `node_modules/code-server`. */
  root: string;
  /** The script to run with Node: `node <entry> [args]`. */
  entry: string;
  version: string;
}

export function codeServerCacheDir(): string {
  const base =
    process.env.BITBUCKET_VSCODE_CACHE ||
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'bitbucket-repositories');
  return path.resolve(base);
}

function installInfo(root: string): CodeServerInstall {
  return {
    root,
    entry: path.join(root, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    version: CODE_SERVER_VERSION,
  };
}

function isComplete(root: string): boolean {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(root, MARKER), 'utf8')) as { version?: string };
    return marker.version === CODE_SERVER_VERSION && fs.existsSync(installInfo(root).entry);
  } catch {
    return false;
  }
}

function log(message: string): void {
  console.log(`[install-code-server] ${message}`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Runs a command, echoing its output only when it fails (npm is noisy). */
function run(command: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    // If this process exits early (a launcher's Ctrl-C handler, a timeout), npm must not go on writing.
    const stopChild = () => child.kill('SIGTERM');
    process.once('exit', stopChild);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      process.off('exit', stopChild);
      const what = `${command} ${args.join(' ')} (in ${cwd})`;
      if (code === 0) {
        log(`  ${what}: ${seconds(started)}`);
        resolve();
      } else {
        reject(new Error(`${what} failed with ${signal ?? `exit code ${code}`}:\n${output}`));
      }
    });
  });
}

function symlink(target: string, linkPath: string): void {
  fs.rmSync(linkPath, { force: true, recursive: true });
  fs.symlinkSync(target, linkPath);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the lock folder, removing it first when the process that made it is gone. */
async function acquireLock(lockDir: string, isDone: () => boolean): Promise<(() => void) | undefined> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (isDone()) return undefined;
    let holder = NaN;
    try {
      holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    } catch {
      // The holder may not have written its pid yet; look again shortly.
    }
    if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) {
      log(`removing a stale lock left by process ${holder}`);
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`another process (${holder || 'unknown'}) is installing code-server; waiting for it`);
      announced = true;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the install lock ${lockDir}`);
    await sleep(2000);
  }
}

async function installInto(staging: string): Promise<void> {
  fs.mkdirSync(staging, { recursive: true });
  // A package.json of its own keeps npm from walking up into some other project.
  fs.writeFileSync(
    path.join(staging, 'package.json'),
    JSON.stringify({ name: 'code-server-cache', private: true, description: 'Test tool cache' }, null, 2),
  );

  await run('npm', ['install', '--ignore-scripts', '--no-save', `code-server@${CODE_SERVER_VERSION}`], staging);

  const codeServer = path.join(staging, 'node_modules', 'code-server');
  const vscodeDir = path.join(codeServer, 'lib', 'vscode');
  await run('npm', ['install', '--omit=dev', '--ignore-scripts'], vscodeDir);

  // @vscode/ripgrep's postinstall downloads a binary; with one already in bin/ it skips the download.
  const ripgrepBin = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(ripgrepBin, { recursive: true });
  if (!fs.existsSync('/usr/bin/rg')) {
    throw new Error('/usr/bin/rg is missing: install Debian\'s "ripgrep" package (apt-get install ripgrep).');
  }
  fs.copyFileSync('/usr/bin/rg', path.join(ripgrepBin, 'rg'));
  fs.chmodSync(path.join(ripgrepBin, 'rg'), 0o755);

  // npm_config_yes lets node-pty's `npx node-gyp` proceed instead of being cancelled at its prompt.
  await run('npm', ['rebuild'], vscodeDir, { npm_config_yes: 'true' });
  await run('npm', ['rebuild', 'argon2'], staging);

  // What code-server's own postinstall would have done.
  symlink('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  symlink('code-linux.sh', path.join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  symlink('browser-linux.sh', path.join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  await run('npm', ['install', '--omit=dev', '--ignore-scripts'], path.join(vscodeDir, 'extensions'));

  fs.writeFileSync(
    path.join(staging, MARKER),
    JSON.stringify({ version: CODE_SERVER_VERSION, node: process.version, installedAt: new Date().toISOString() }),
  );
}

/** Removes staging folders of installs whose process is gone (killed before it could clean up). */
function removeAbandonedStaging(cache: string, root: string): void {
  const prefix = `${path.basename(root)}.staging-`;
  for (const entry of fs.readdirSync(cache)) {
    const pid = Number(entry.slice(prefix.length));
    if (entry.startsWith(prefix) && pid !== process.pid && !processAlive(pid)) {
      fs.rmSync(path.join(cache, entry), { recursive: true, force: true });
    }
  }
}

/** Returns the cached install, installing it first when it is missing or incomplete. */
export async function ensureCodeServer(): Promise<CodeServerInstall> {
  const cache = codeServerCacheDir();
  const root = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  if (isComplete(root)) return installInfo(root);

  fs.mkdirSync(cache, { recursive: true });
  const release = await acquireLock(`${root}.lock`, () => isComplete(root));
  try {
    if (isComplete(root)) {
      log(`reusing ${root} (installed by another process)`);
      return installInfo(root);
    }
    if (!fs.existsSync('/usr/bin/rg')) {
      throw new Error('/usr/bin/rg is missing: install Debian\'s "ripgrep" package (apt-get install ripgrep).');
    }
    const started = Date.now();
    log(`installing code-server ${CODE_SERVER_VERSION} into ${root} (takes 2-3 minutes, once)`);
    removeAbandonedStaging(cache, root);
    const staging = `${root}.staging-${process.pid}`;
    try {
      await installInto(staging);
      // An incomplete folder from an older, interrupted install may sit at the final path.
      fs.rmSync(root, { recursive: true, force: true });
      fs.renameSync(staging, root);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    // A killed install's npm may have kept writing after the first sweep; look once more.
    removeAbandonedStaging(cache, root);
    log(`installed in ${seconds(started)}`);
    return installInfo(root);
  } finally {
    release?.();
  }
}

if (require.main === module) {
  const started = Date.now();
  ensureCodeServer().then(
    (install) => {
      log(`code-server ${install.version} ready at ${install.root} (${seconds(started)})`);
    },
    (error: unknown) => {
      console.error(`[install-code-server] ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
