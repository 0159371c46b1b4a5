// Starts code-server (VS Code's workbench served to a browser, extensions in a Node extension host) with a
// throw-away state folder, and builds the workbench URLs the launchers open.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Cleanup } from './cleanup';
import { CodeServerInstall } from './install-code-server';
import { exitOf, freePort, stopProcessTree, waitForHttp } from './processes';

/** User settings that keep the workbench quiet and deterministic: no trust prompt, no welcome, no network. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.autofetch': false,
  'git.openRepositoryInParentFolders': 'never',
  'npm.fetchOnlinePackageInfo': false,
  'chat.commandCenter.enabled': false,
};

/** The folder layout of one code-server run; everything lives under `root`. */
export interface StateDirs {
  root: string;
  userData: string;
  extensions: string;
  workspace: string;
  browserProfile: string;
}

export function createStateDirs(root: string): StateDirs {
  const dirs: StateDirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
    browserProfile: path.join(root, 'browser-profile'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  return dirs;
}

export function writeUserSettings(dirs: StateDirs, settings: Record<string, unknown>): void {
  const userDir = path.join(dirs.userData, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
}

/**
 * Environment for code-server and everything it starts. XDG folders point into the state folder so
 * code-server writes no config or logs into the user's home, and the marker variable lets cleanup find
 * every descendant, even those that left the process group.
 */
export function codeServerEnv(dirs: StateDirs, extra: Record<string, string>): { env: NodeJS.ProcessEnv; marker: string } {
  const marker = `BITBUCKET_HARNESS_RUN=${randomUUID()}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dirs.root, 'xdg-config'),
    XDG_DATA_HOME: path.join(dirs.root, 'xdg-data'),
    // The extension host and git extension leave IPC sockets in the temp dir; keep them in ours.
    TMPDIR: path.join(dirs.root, 'tmp'),
    // git inside the editor reads no config of this machine's (an identity, credential helpers, url
    // rewrites): every run starts as on a fresh machine, whatever its owner set up.
    GIT_CONFIG_GLOBAL: path.join(dirs.root, 'gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    // Where tests look for leaked secrets: every file the editor writes for this run.
    BITBUCKET_USER_DATA_DIR: dirs.userData,
    BITBUCKET_EXTENSIONS_DIR: dirs.extensions,
    ...extra,
  };
  fs.mkdirSync(env.TMPDIR!, { recursive: true });
  fs.writeFileSync(env.GIT_CONFIG_GLOBAL!, '');
  // Variables that would make code-server or its extension host behave unlike a plain launch.
  for (const name of ['VSCODE_IPC_HOOK_CLI', 'VSCODE_CWD', 'ELECTRON_RUN_AS_NODE', 'PORT', 'PASSWORD', 'HASHED_PASSWORD']) {
    delete env[name];
  }
  const [key, value] = marker.split('=');
  env[key] = value;
  return { env, marker };
}

function baseArgs(dirs: StateDirs): string[] {
  return [
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    // An explicit config file keeps code-server from writing ~/.config/code-server/config.yaml.
    '--config',
    path.join(dirs.root, 'code-server.yaml'),
  ];
}

export interface CodeServer {
  host: string;
  port: number;
  /** `http://host:port` */
  url: string;
  logFile: string;
  /** Settles when the server process exits, with its exit code or signal. */
  exited: Promise<number | string>;
  stop(): Promise<void>;
  /** The last lines the server wrote, for error messages. */
  logTail(lines?: number): string;
}

export interface StartCodeServerOptions {
  install: CodeServerInstall;
  dirs: StateDirs;
  env: NodeJS.ProcessEnv;
  marker: string;
  cleanup: Cleanup;
  host?: string;
  /** Port to try first; any free port when it is taken or 0. */
  port?: number;
  /** Also print the server's output, prefixed, to stderr. */
  echo?: boolean;
  /** Require this password in the browser; without it anyone who can reach the port gets a shell. */
  password?: string;
}

export async function startCodeServer(options: StartCodeServerOptions): Promise<CodeServer> {
  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host, options.port ?? 0);
  const logFile = path.join(options.dirs.root, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  const args = [
    options.install.entry,
    ...baseArgs(options.dirs),
    '--auth',
    options.password ? 'password' : 'none',
    '--bind-addr',
    `${host}:${port}`,
    options.dirs.workspace,
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.dirs.workspace,
    env: options.password ? { ...options.env, PASSWORD: options.password } : options.env,
    // Its own process group, so stopping it also stops the extension host and the other helpers.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logOpen = true;
  const write = (chunk: Buffer) => {
    if (logOpen) fs.writeSync(log, chunk);
    if (options.echo) process.stderr.write(prefixLines('[code-server] ', chunk.toString()));
  };
  child.stdout!.on('data', write);
  child.stderr!.on('data', write);
  const exited = exitOf(child);

  const logTail = (lines = 30) => {
    try {
      return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const stop = options.cleanup.add('code-server', async () => {
    await stopProcessTree(child, options.marker);
    logOpen = false;
    fs.closeSync(log);
  });

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    await waitForHttp(
      `${url}/healthz`,
      60_000,
      exited.then((code) => `code-server exited (${code})`),
    );
  } catch (error) {
    throw new Error(`code-server did not start: ${(error as Error).message}\n--- ${logFile} ---\n${logTail()}`);
  }
  return { host, port, url, logFile, exited, stop, logTail };
}

/** `code-server --install-extension <vsix>` into the state folder's extensions dir, as a user would. */
export async function installExtension(install: CodeServerInstall, dirs: StateDirs, env: NodeJS.ProcessEnv, vsix: string): Promise<void> {
  const child = spawn(process.execPath, [install.entry, ...baseArgs(dirs), '--force', '--install-extension', vsix], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const code = await exitOf(child);
  if (code !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`Installing ${vsix} failed (${code}):\n${output}`);
  }
}

export interface WorkbenchPayload {
  /** Absolute path on the server's disk. */
  extensionDevelopmentPath?: string;
  /** Absolute path on the server's disk of a module exporting `run(): Promise<void>`. */
  extensionTestsPath?: string;
}

/**
 * The workbench URL for `folder`. The `payload` query parameter is the one VS Code's own web integration
 * tests use; paths in it are `vscode-remote://` URIs naming the server's own authority.
 */
export function workbenchUrl(server: CodeServer, folder: string, payload: WorkbenchPayload = {}): string {
  const authority = `${server.host}:${server.port}`;
  const remote = (p: string) => `vscode-remote://${authority}${encodeURI(p)}`;
  const entries: [string, string][] = [];
  if (payload.extensionDevelopmentPath) {
    entries.push(['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)]);
  }
  if (payload.extensionTestsPath) entries.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
  entries.push(['skipWelcome', 'true']);
  entries.push(['skipReleaseNotes', 'true']);
  const query = `folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(entries))}`;
  return `${server.url}/?${query}`;
}

function prefixLines(prefix: string, text: string): string {
  return text.replace(/^(?=.)/gm, prefix);
}
