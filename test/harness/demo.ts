// `npm run demo`: the extension as a user gets it. Builds the production bundle and the .vsix, installs the
// .vsix into a fresh code-server (`--install-extension`, as a user would), points it at the sandbox
// Bitbucket server, and prints where to open it and how to sign in. Ctrl-C stops everything.
//
//   npm run demo -- [--host 127.0.0.1] [--port 8080] [--sandbox-port 7990]
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../sandbox/server';
import { startDataCenterSandbox } from '../sandbox/datacenter/server';
import { Cleanup } from './cleanup';
import { codeServerEnv, createStateDirs, installExtension, startCodeServer, writeUserSettings } from './code-server';
import { ensureCodeServer } from './install-code-server';
import { readManifest, repoRoot } from './paths';
import { freePort } from './processes';
import { vscePackage } from './stage';
import { makeStateRoot } from './workbench';

interface DemoOptions {
  host: string;
  port: number;
  sandboxPort: number;
}

function parseArgs(argv: string[]): DemoOptions {
  const options: DemoOptions = { host: '127.0.0.1', port: 8080, sandboxPort: 7990 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    const port = () => {
      const parsed = Number(value());
      if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`${flag} needs a port number`);
      return parsed;
    };
    if (flag === '--host') options.host = value();
    else if (flag === '--port') options.port = port();
    else if (flag === '--sandbox-port') options.sandboxPort = port();
    else if (flag === '--help' || flag === '-h') {
      console.log('Usage: npm run demo -- [--host 127.0.0.1] [--port 8080 (taken: any free)] [--sandbox-port 7990]');
      process.exit(0);
    } else throw new Error(`Unknown option ${argv[i]} (try --help)`);
  }
  return options;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

function step(message: string): void {
  console.log(`[demo] ${message}`);
}

/** `vsce package` as `npm run package` runs it (with the production build first); returns the .vsix path. */
function packageExtension(): string {
  const { name, version } = readManifest();
  const vsix = path.join(repoRoot, `${name}-${version}.vsix`);
  const result = vscePackage(repoRoot, vsix);
  if (result.status !== 0) throw new Error(`Packaging failed:\n${result.stdout}\n${result.stderr}`);
  return vsix;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const cleanup = new Cleanup();
  cleanup.onSignals();
  try {
    step('building the production bundle and packaging the extension...');
    const vsix = packageExtension();
    step(`packaged ${path.relative(process.cwd(), vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(1)} KiB)`);

    const install = await ensureCodeServer();
    const dirs = createStateDirs(makeStateRoot('demo', cleanup));
    const sandbox = await startSandbox({ port: await freePort('127.0.0.1', options.sandboxPort) });
    cleanup.add('sandbox', () => sandbox.close());
    // A Bitbucket Data Center server beside it (under /bitbucket, as many are): add it as a second account.
    const dataCenter = await startDataCenterSandbox({ port: await freePort(), contextPath: '/bitbucket' });
    cleanup.add('Data Center sandbox', () => dataCenter.close());
    writeUserSettings(dirs, { 'bitbucket.apiUrl': sandbox.apiUrl });
    const { env, marker } = codeServerEnv(dirs, { BITBUCKET_SANDBOX_URL: sandbox.url });

    step('installing the .vsix into a fresh code-server...');
    await installExtension(install, dirs, env, vsix);

    // Off loopback, anyone who reaches the port would get the editor and its terminal: require a password.
    const password = isLoopback(options.host) ? undefined : randomBytes(12).toString('base64url');
    const server = await startCodeServer({
      install,
      dirs,
      env,
      marker,
      cleanup,
      host: options.host,
      port: options.port,
      password,
    });
    const { credentials } = sandbox;
    const folder = `/?folder=${encodeURIComponent(dirs.workspace)}`;
    const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '<this machine>' : options.host;
    console.log(
      [
        '',
        `  Open:        http://${shownHost}:${server.port}${folder}`,
        isLoopback(options.host)
          ? `               It listens on ${options.host} only: open it on this machine, or forward the port ` +
            `(ssh -L ${server.port}:127.0.0.1:${server.port} ...).`
          : `               Password:  ${password}`,
        server.port !== options.port ? `               (port ${options.port} was taken)` : undefined,
        `  Sandbox:     ${sandbox.url} (bitbucket.apiUrl = ${sandbox.apiUrl})`,
        '',
        '  Sign in with Bitbucket: Sign In, then either',
        `    email ${credentials.email}`,
        `    API token ${credentials.apiToken}`,
        '  or',
        `    access token ${credentials.accessToken.token}`,
        `    (workspace ${credentials.accessToken.workspace})`,
        '',
        '  Then Bitbucket: Add Account… → Bitbucket Data Center, to see it beside Bitbucket Cloud:',
        `    server ${dataCenter.url}`,
        `    personal token ${dataCenter.credentials.tokens.personal.token}`,
        `    (or the project token ${dataCenter.credentials.tokens.project.token}, for project PLAT only)`,
        '',
        '  Ctrl-C stops code-server and the sandbox and removes the temporary profile.',
        '',
      ]
        .filter((line) => line !== undefined)
        .join('\n'),
    );

    const code = await server.exited;
    if (cleanup.started) return; // Ctrl-C: the cleanup stopped it.
    console.error(`[demo] code-server exited (${code}); stopping.\n${server.logTail()}`);
    process.exitCode = 1;
  } catch (error) {
    console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}

void main();
