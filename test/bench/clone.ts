/**
 * Cloning the largest sandbox repository through the extension's cloneRepository (credentials by askpass)
 * against plain git with the token in the URL, as a person would type it. Git requests get no added
 * latency, so this compares git with git.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import fetch from 'node-fetch';
import { toHostedRepository } from '../../src/bitbucket/cloudHost';
import { cloneUrl } from '../../src/host/links';
import { GIT_USERNAME_FOR_API_TOKEN } from '../../src/bitbucket/credentials';
import { BASH, askpassPrograms as shippedAskpassPrograms, hasBash } from '../../src/git/askpassPrograms';
import { AskpassPrograms } from '../../src/git/askpassServer';
import { cloneRepository } from '../../src/git/gitClone';
import { Section, formatValue, median, section } from './report';
import { BenchContext, cleanGitEnv, extensionClient } from './traffic';

const repoRoot = path.resolve(__dirname, '../../..');

/** The askpass programs the extension ships (dist/), found as the extension finds them, or the compiled sources. */
async function askpassPrograms(scratch: string): Promise<{ programs: AskpassPrograms; from: string }> {
  let programs: AskpassPrograms;
  if (fs.existsSync(path.join(repoRoot, 'dist/askpass-main.js'))) {
    programs = await shippedAskpassPrograms(repoRoot, path.join(scratch, 'storage'));
  } else {
    programs = {
      script: path.join(repoRoot, 'src/git/askpass.sh'),
      bashScript: (await hasBash()) ? path.join(repoRoot, 'src/git/askpass-bash.sh') : undefined,
      main: path.join(repoRoot, 'out/src/git/askpassMain.js'),
      node: process.execPath,
    };
  }
  const relative = (file: string) => path.relative(repoRoot, file);
  const from = programs.bashScript
    ? relative(programs.bashScript)
    : `${relative(programs.script)} + ${relative(programs.main)} (no ${BASH})`;
  return { programs, from };
}

function plainGitClone(url: string, target: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'credential.helper=', 'clone', url, target], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
    child.on('error', reject);
    child.on('close', (code) => {
      // git may echo the URL; the token must not reach the bench's output.
      if (code === 0) resolve();
      else reject(new Error(`plain git clone failed (${code}): ${stderr.replace(/\/\/[^/@\s]+@/g, '//').trim()}`));
    });
  });
}

const LATENCY_PROBE_MS = 1000;

/** How long git's first request (ref advertisement) takes while the sandbox delays every API request a lot. */
async function gitRequestUnderLatency(context: BenchContext, repositoryUrl: URL): Promise<number> {
  const { sandbox } = context;
  const url = new URL(`${repositoryUrl.origin}${repositoryUrl.pathname}/info/refs?service=git-upload-pack`);
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(repositoryUrl.username)}:${decodeURIComponent(repositoryUrl.password)}`).toString('base64')}`;
  sandbox.setLatency(LATENCY_PROBE_MS);
  try {
    const started = performance.now();
    const response = await fetch(url.toString(), { headers: { Authorization: authorization } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`git info/refs answered ${response.status}`);
    return performance.now() - started;
  } finally {
    sandbox.setLatency(context.latencyMs);
  }
}

export async function measureClone(context: BenchContext): Promise<Section> {
  const { sandbox, runs, scratch } = context;
  const { workspace, slug } = sandbox.credentials.largestRepository;
  const result = section(`6. Clone: ${workspace}/${slug}, the largest sandbox repository`);
  const { programs, from } = await askpassPrograms(scratch);

  // The same clean git configuration for both: nothing of the machine's own helpers or settings.
  const env = cleanGitEnv(scratch, 'home');
  context.progress(`clone: preparing ${workspace}/${slug}`);
  await sandbox.prepareRepository(workspace, slug);
  const repository = toHostedRepository(await extensionClient(sandbox).getRepository(workspace, slug));
  const url = cloneUrl(repository);
  if (!url) throw new Error(`${workspace}/${slug} has no https clone link.`);
  const withToken = new URL(url);
  withToken.username = sandbox.credentials.gitUsername;
  withToken.password = sandbox.credentials.apiToken;

  let counter = 0;
  const nextTarget = () => path.join(scratch, `${slug}-${++counter}`);
  const ways = {
    extension: (target: string) =>
      cloneRepository({
        gitPath: 'git',
        url,
        target,
        username: GIT_USERNAME_FOR_API_TOKEN,
        password: sandbox.credentials.apiToken,
        askpass: programs,
        env,
      }),
    plain: (target: string) => plainGitClone(withToken.toString(), target, env),
  };
  const timed = async (way: keyof typeof ways) => {
    const target = nextTarget();
    sandbox.clearRequests();
    const started = performance.now();
    await ways[way](target);
    const ms = performance.now() - started;
    if (!fs.existsSync(path.join(target, '.git', 'HEAD'))) throw new Error(`The ${way} clone left no repository.`);
    fs.rmSync(target, { recursive: true, force: true });
    const git = sandbox.requests.filter((entry) => entry.git);
    return { ms, requests: git.length, bytes: git.reduce((sum, entry) => sum + entry.bytes, 0) };
  };
  // What one askpass launch costs at least: git starts the program once per prompt.
  const start = async (command: string, args: string[]) => {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      spawn(command, args, { stdio: 'ignore' })
        .on('error', reject)
        .on('close', () => resolve());
    });
    return performance.now() - started;
  };

  context.progress('clone: warm-up');
  await timed('extension');
  await timed('plain');
  const extension: Awaited<ReturnType<typeof timed>>[] = [];
  const plain: Awaited<ReturnType<typeof timed>>[] = [];
  const nodeStarts: number[] = [];
  const bashStarts: number[] = [];
  for (let run = 0; run < runs; run++) {
    context.progress(`clone: run ${run + 1} of ${runs}`);
    nodeStarts.push(await start(process.execPath, ['-e', '0']));
    if (programs.bashScript) bashStarts.push(await start(BASH, ['-p', '-c', ':']));
    // Alternating, and which goes first alternates too, so neither always follows the other.
    if (run % 2 === 0) {
      extension.push(await timed('extension'));
      plain.push(await timed('plain'));
    } else {
      plain.push(await timed('plain'));
      extension.push(await timed('extension'));
    }
  }

  const ratio = median(extension.map((run) => run.ms)) / median(plain.map((run) => run.ms));
  const gitUnderLatency = await gitRequestUnderLatency(context, withToken);
  result.rows.push(
    { label: 'extension (cloneRepository, askpass): wall time', unit: 'ms', samples: extension.map((run) => run.ms) },
    { label: 'plain git, token in URL: wall time', unit: 'ms', samples: plain.map((run) => run.ms) },
    { label: 'extension ÷ plain git, medians', unit: 'factor', samples: [ratio], derived: true },
    {
      label: 'extension − plain git, medians',
      unit: 'ms',
      samples: [median(extension.map((run) => run.ms)) - median(plain.map((run) => run.ms))],
      derived: true,
    },
    { label: 'extension ÷ plain git, each pair', unit: 'factor', samples: extension.map((run, index) => run.ms / plain[index].ms) },
    { label: 'extension: git requests', unit: 'count', samples: extension.map((run) => run.requests) },
    { label: 'plain git: git requests', unit: 'count', samples: plain.map((run) => run.requests) },
    { label: 'bytes served to git per clone', unit: 'bytes', samples: extension.concat(plain).map((run) => run.bytes) },
    { label: 'one Node start-up (node -e 0), for scale', unit: 'ms', samples: nodeStarts },
    ...(bashStarts.length ? [{ label: `one bash start-up (${BASH} -p -c :), for scale`, unit: 'ms' as const, samples: bashStarts }] : []),
    { label: `git info/refs with API latency raised to ${LATENCY_PROBE_MS} ms`, unit: 'ms', samples: [gitUnderLatency], derived: true },
  );
  const latencyCheck =
    gitUnderLatency < LATENCY_PROBE_MS
      ? `Checked: with ${LATENCY_PROBE_MS} ms on every API request, git's first request took ${formatValue(gitUnderLatency, 'ms')}; git gets no added latency, so this compares git with git.`
      : `Warning: with ${LATENCY_PROBE_MS} ms on every API request, git's first request took ${formatValue(gitUnderLatency, 'ms')}: git is delayed too, and the clone figures include it.`;
  result.notes.push(
    `Prepared and cloned once each way as a warm-up, then ${runs} alternating runs each. Askpass programs: ${from}.`,
    latencyCheck,
    'The extension gives git the user name in config and the token through askpass, which git starts once per clone: ' +
      'a bash script that asks over /dev/tcp (about one bash start, row above) where /bin/bash exists, else the Node program (about one Node start). ' +
      'Plain git with the token in its URL starts nothing; that fixed cost weighs more the faster the clone.',
  );
  result.targets.push({
    name: 'Clone within 10% of plain git',
    met: ratio <= 1.1,
    figure: `${formatValue(ratio, 'factor')} (${formatValue(median(extension.map((run) => run.ms)), 'ms')} vs ${formatValue(median(plain.map((run) => run.ms)), 'ms')})`,
  });
  return result;
}
