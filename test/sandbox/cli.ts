import * as path from 'path';
import { DATACENTER, DataCenterSandbox, startDataCenterSandbox } from './datacenter/server';
import { benchUser, DEMO, startSandbox } from './server';

/**
 * `npm run sandbox -- [--port N] [--latency MS] [--scenario default|bench] [--data-dir DIR] [--rate-limit N] [--extra-users N]
 * [--datacenter-port N]`
 * Starts the sandbox in the foreground and prints where it is and how to sign in. With `--datacenter-port`,
 * the Bitbucket Data Center sandbox (datacenter/server.ts) runs beside it on that port (0 = free).
 */
export const DEFAULT_PORT = 7990;

interface CliOptions {
  port: number;
  latencyMs: number;
  scenario: 'default' | 'bench';
  dataDir?: string;
  rateLimitPerHour?: number;
  extraUsers?: number;
  /** Also start the Data Center sandbox on this port (0 = a free one). */
  datacenterPort?: number;
}

const USAGE =
  'Usage: npm run sandbox -- [--port N (0 = free)] [--latency MS] [--scenario default|bench] [--data-dir DIR] [--rate-limit N] [--extra-users N]' +
  ' [--datacenter-port N (0 = free)]';

function parseArguments(args: string[]): CliOptions {
  const options: CliOptions = { port: DEFAULT_PORT, latencyMs: 0, scenario: 'default' };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const next = inline ?? args[++i];
      if (next === undefined) {
        throw new Error(`${flag} needs a value`);
      }
      return next;
    };
    const number = (): number => {
      const parsed = Number(value());
      if (!Number.isInteger(parsed) || parsed < 0) {
        throw new Error(`${flag} needs a non-negative whole number`);
      }
      return parsed;
    };
    switch (flag) {
      case '--port':
        options.port = number();
        break;
      case '--latency':
        options.latencyMs = number();
        break;
      case '--scenario': {
        const scenario = value();
        if (scenario !== 'default' && scenario !== 'bench') {
          throw new Error('--scenario is default or bench');
        }
        options.scenario = scenario;
        break;
      }
      case '--data-dir':
        options.dataDir = value();
        break;
      case '--rate-limit':
        options.rateLimitPerHour = number();
        break;
      case '--extra-users':
        options.extraUsers = number();
        break;
      case '--datacenter-port':
        options.datacenterPort = number();
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown option ${args[i]}`);
    }
  }
  return options;
}

/** The first bench user in full and the pattern of the rest (there may be thousands). */
function benchLines(count: number): string[] {
  if (count === 0) {
    return [];
  }
  const first = benchUser(1);
  return [
    '',
    `  Bench users: ${first.username} ... bench-user-${count} (email bench-user-N@example.com; benchUser(N) in seed.ts), e.g.`,
    `  ${first.email} + ${first.apiToken}  (workspaces ${first.workspaces.join(', ')})`,
  ];
}

/** Where the Data Center sandbox is and how to sign in (its data sits beside --data-dir, never inside it). */
function datacenterLines(datacenter: DataCenterSandbox | undefined): string[] {
  if (!datacenter) {
    return [];
  }
  const { tokens, user } = DATACENTER;
  return [
    '',
    `Bitbucket Data Center sandbox listening on ${datacenter.url}`,
    `  REST:        ${datacenter.restUrl}   (also /rest/api/latest; application-properties needs no sign-in)`,
    `  Git:         ${datacenter.url}/scm/{projectKey}/{slug}.git   e.g. ${datacenter.url}/scm/pub/open-toolkit.git`,
    `  Control:     ${datacenter.url}/_sandbox/{requests,faults,reset,latency,prepare,info}`,
    `  Data:        ${datacenter.dataDir}`,
    `  User ${user.name} ("${user.displayName}"); personal tokens as Basic ${user.name}:TOKEN or Bearer, project/repository tokens Bearer only:`,
    ...Object.values(tokens).map((token) => `  ${token.name.padEnd(20)} ${token.token}  ${token.summary}`),
    `  Try: curl -H 'Authorization: Bearer ${tokens.personal.token}' '${datacenter.restUrl}/projects/PLAT/repos?limit=1000'`,
  ];
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const sandbox = await startSandbox(options);
  let datacenter: DataCenterSandbox | undefined;
  if (options.datacenterPort !== undefined) {
    try {
      datacenter = await startDataCenterSandbox({
        port: options.datacenterPort,
        latencyMs: options.latencyMs,
        dataDir: options.dataDir === undefined ? undefined : `${path.resolve(options.dataDir)}-datacenter`,
      });
    } catch (error) {
      await sandbox.close();
      throw error;
    }
  }
  const lines = [
    `Bitbucket sandbox (${sandbox.scenario}) listening on ${sandbox.url}`,
    `  API:         ${sandbox.apiUrl}`,
    `  Git:         ${sandbox.url}/{workspace}/{slug}.git   e.g. ${sandbox.url}/${DEMO.publicRepository.workspace}/${DEMO.publicRepository.slug}.git`,
    `  Control:     ${sandbox.url}/_sandbox/{requests,faults,reset,latency,prepare,info}`,
    `  Data:        ${sandbox.dataDir}`,
    '',
    `  REST (Basic): ${DEMO.email} + API token`,
    `  Git (Basic):  ${DEMO.gitUsername} or ${DEMO.username} + API token`,
    `  API token (all scopes):      ${DEMO.apiToken}`,
    `  API token (read only):       ${DEMO.readOnlyApiToken}`,
    `  API token (no workspace):    ${DEMO.noWorkspaceScopeApiToken}`,
    `  API token (no repository):   ${DEMO.noRepositoryScopeApiToken}`,
    `  API token (expired):         ${DEMO.expiredApiToken}`,
    `  App password (removed):      ${DEMO.appPassword}`,
    `  Access token (${DEMO.accessToken.workspace}, Bearer; git user ${DEMO.accessTokenGitUsername}): ${DEMO.accessToken.token}`,
    '',
    `  Second user ${DEMO.second.username} (${DEMO.second.email}; workspaces ${DEMO.second.workspaces.join(', ')}):`,
    `  API token (all scopes):      ${DEMO.second.apiToken}`,
    `  Access token (${DEMO.second.accessToken.workspace}): ${DEMO.second.accessToken.token}`,
    ...benchLines(sandbox.extraUsers),
    '',
    `  Try: curl -u ${DEMO.email}:${DEMO.apiToken} '${sandbox.apiUrl}/repositories/${DEMO.largeWorkspace}?pagelen=100&fields=next,values.slug'`,
    ...datacenterLines(datacenter),
    '',
    'Demo credentials only; they work nowhere else. Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox...`);
    Promise.all([sandbox.close(), datacenter?.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
