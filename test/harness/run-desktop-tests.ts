// Runs the same integration suite in desktop VS Code through @vscode/test-electron, for machines that can
// download VS Code (these build machines cannot: use `npm run test:integration`, which runs it in code-server).
//
//   node out/test/harness/run-desktop-tests.js      (BITBUCKET_VSCODE_VERSION=1.100.3 to pin a version)
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../sandbox/server';
import { Cleanup } from './cleanup';
import { QUIET_SETTINGS } from './code-server';
import { repoRoot, requireBuilt } from './paths';
import { makeStateRoot } from './workbench';

const NETWORK_ERROR =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up|Failed to (download|get)|status code/i;

async function main(): Promise<number> {
  const cleanup = new Cleanup();
  cleanup.onSignals();
  try {
    requireBuilt('dist/extension.js', 'out/test/integration/index.js');
    const root = makeStateRoot('desktop', cleanup);
    const userData = path.join(root, 'user-data');
    const workspace = path.join(root, 'workspace');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.mkdirSync(workspace, { recursive: true });

    const sandbox = await startSandbox();
    cleanup.add('sandbox', () => sandbox.close());
    fs.writeFileSync(
      path.join(userData, 'User', 'settings.json'),
      JSON.stringify({ ...QUIET_SETTINGS, 'bitbucket.apiUrl': sandbox.apiUrl }, null, 2),
    );
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      console.warn('[harness] no DISPLAY: desktop VS Code needs one on Linux (run under `xvfb-run -a`).');
    }

    return await runTests({
      version: process.env.BITBUCKET_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
      extensionTestsEnv: { BITBUCKET_SANDBOX_URL: sandbox.url },
      launchArgs: [
        workspace,
        '--user-data-dir',
        userData,
        '--extensions-dir',
        path.join(root, 'extensions'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-telemetry',
      ],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (NETWORK_ERROR.test(message)) {
      console.error(
        `[harness] Could not download desktop VS Code (${message.split('\n')[0]}).\n` +
          '[harness] This machine seems to have no access to update.code.visualstudio.com. Run the same suite in ' +
          'code-server instead: npm run test:integration',
      );
    } else {
      console.error(`[harness] ${message}`);
    }
    return 1;
  } finally {
    await cleanup.run();
  }
}

main().then((code) => process.exit(code));
