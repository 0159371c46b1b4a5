/**
 * `npm run bench`: what the extension costs against the sandbox, next to the naive way of doing the same,
 * as a table of medians and ranges on stdout and as JSON in test-results/bench.json. Targets are reported
 * met or missed, never asserted: timing on a shared machine is too noisy to fail a build on.
 * Exits 0 unless a measurement could not be taken at all.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataCenterSandbox, startDataCenterSandbox } from '../sandbox/datacenter/server';
import { Sandbox, startSandbox } from '../sandbox/server';
import { BENCH_ACCOUNTS, measureAccounts } from './accounts';
import { measureBrowse } from './browse';
import { measureClone } from './clone';
import { measureDataCenter } from './dataCenter';
import { measureFirstPage, measureWholeWorkspace } from './listing';
import { Section, printReport, section, writeJson } from './report';
import { measureSearch } from './search';
import { measureStartup } from './startup';
import { BenchContext } from './traffic';

const repoRoot = path.resolve(__dirname, '../../..');
const resultsFile = path.join(repoRoot, 'test-results', 'bench.json');

const USAGE = `Usage: node out/test/bench/run.js [--latency MS] [--runs N] [--quick]
  --latency MS  added to every API request by the sandbox (default 50; git gets none)
  --runs N      runs per measurement (default 5; the slow whole-workspace listings get at most 3)
  --quick       2 runs, 1 of each slow listing: a smoke test of the bench, not figures to quote`;

interface Settings {
  readonly latencyMs: number;
  readonly runs: number;
  readonly longRuns: number;
  readonly quick: boolean;
}

function parseArguments(argv: readonly string[]): Settings {
  let latencyMs = 50;
  let runs: number | undefined;
  let quick = false;
  const count = (flag: string, value: string | undefined, minimum: number): number => {
    const number = Number(value);
    if (value === undefined || !Number.isInteger(number) || number < minimum) {
      throw new UsageError(`${flag} needs a whole number of at least ${minimum}.`);
    }
    return number;
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--latency') latencyMs = count('--latency', argv[++index], 0);
    else if (argument === '--runs') runs = count('--runs', argv[++index], 1);
    else if (argument === '--quick') quick = true;
    else if (argument === '--help' || argument === '-h') throw new UsageError('');
    else throw new UsageError(`Unknown argument ${argument}.`);
  }
  runs ??= quick ? 2 : 5;
  return { latencyMs, runs, longRuns: Math.min(runs, quick ? 1 : 3), quick };
}

class UsageError extends Error {}

function gitVersion(): string {
  try {
    return execFileSync('git', ['--version'], { encoding: 'utf8' })
      .trim()
      .replace(/^git version /, 'git ');
  } catch {
    return 'git missing';
  }
}

/** Runs one measurement; a crash becomes a section that says so, and the others still run. */
async function attempt(title: string, measure: () => Promise<Section | Section[]>, failures: string[]): Promise<Section[]> {
  try {
    const measured = await measure();
    return Array.isArray(measured) ? measured : [measured];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push(`${title}: ${message}`);
    const failed = section(title);
    failed.notes.push(`FAILED: ${message}`);
    return [failed];
  }
}

async function main(): Promise<number> {
  let settings: Settings;
  try {
    settings = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(error.message);
    console.error(USAGE);
    return error.message ? 2 : 0;
  }
  const started = performance.now();
  const loadAtStart = os.loadavg()[0];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-bench-'));
  let sandbox: Sandbox | undefined;
  let dataCenter: DataCenterSandbox | undefined;
  const cleanUp = async () => {
    await sandbox?.close();
    await dataCenter?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  const onSignal = () => {
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const failures: string[] = [];
  const sections: Section[] = [];
  // First, before anything slow: another build (npm run build, watch) may replace dist/ while the bench runs.
  const startup = await attempt('4. Start-up', async () => measureStartup(), failures);
  try {
    // The bench measures cost, not throttling: a naive listing alone is half of Bitbucket's hourly budget.
    sandbox = await startSandbox({
      port: 0,
      latencyMs: settings.latencyMs,
      scenario: 'bench',
      rateLimitPerHour: 1_000_000,
      extraUsers: BENCH_ACCOUNTS,
    });
    const context: BenchContext = {
      sandbox,
      latencyMs: settings.latencyMs,
      runs: settings.runs,
      longRuns: settings.longRuns,
      scratch,
      progress: (message) => console.error(`… ${message}`),
    };
    sections.push(...(await attempt('1. First page', () => measureFirstPage(context), failures)));
    sections.push(...(await attempt('2. Whole workspace', () => measureWholeWorkspace(context), failures)));
    sections.push(...(await attempt('3. Search', () => measureSearch(context), failures)));
    sections.push(...startup);
    sections.push(...(await attempt('6. Clone', () => measureClone(context), failures)));
    sections.push(...(await attempt('7. Several accounts', () => measureAccounts(context), failures)));
    sections.push(...(await attempt('8. Open without cloning', () => measureBrowse(context), failures)));
    sections.push(
      ...(await attempt(
        '9. Data Center',
        async () => {
          // Its own sandbox, started here so that failing to start is this section's failure alone; cleanUp closes it.
          dataCenter = await startDataCenterSandbox({ port: 0, latencyMs: settings.latencyMs });
          return measureDataCenter(context, dataCenter);
        },
        failures,
      )),
    );
  } catch (error) {
    failures.push(`sandbox: ${error instanceof Error ? error.message : String(error)}`);
    sections.push(...startup);
  } finally {
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const elapsedSeconds = (performance.now() - started) / 1000;
  const heading = [
    'Bitbucket Repositories benchmark',
    `sandbox scenario "bench", ${settings.latencyMs} ms added to each API request (none to git); ` +
      `${settings.runs} runs each, ${settings.longRuns} for the slow whole-workspace listings${settings.quick ? ' (--quick: a smoke test, not figures to quote)' : ''}`,
    `Node ${process.version}, ${gitVersion()}, ${os.cpus().length} CPUs, load ${loadAtStart.toFixed(2)} at start; took ${elapsedSeconds.toFixed(0)} s`,
  ];
  printReport(heading, sections, (line) => console.log(line));
  writeJson(
    resultsFile,
    {
      generatedAt: new Date().toISOString(),
      latencyMs: settings.latencyMs,
      runs: settings.runs,
      longRuns: settings.longRuns,
      quick: settings.quick,
      environment: { node: process.version, git: gitVersion(), cpus: os.cpus().length, loadAtStart },
      elapsedSeconds,
      failures,
    },
    sections,
  );
  console.log('');
  console.log(`JSON: ${path.relative(process.cwd(), resultsFile) || resultsFile}`);
  if (failures.length > 0) {
    console.error(`${failures.length} measurement(s) could not be taken:`);
    for (const failure of failures) console.error(`  ${failure}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
