import { FastImportWriter, Person } from './fast-import';
import { SeededRandom } from './random';
import { DEMO, RepositoryRecord } from './seed';

/** The git histories seeded repositories start with; same input, same commit hashes. */
const DEMO_PERSON: Person = { name: DEMO.displayName, email: DEMO.email };
const AUTHORS: readonly Person[] = [
  DEMO_PERSON,
  { name: 'Ada Byte', email: 'ada@example.com' },
  { name: 'Grace Stack', email: 'grace@example.com' },
  { name: 'Linus Queue', email: 'linus@example.com' },
];

const EXTENSIONS: Readonly<Record<string, string>> = {
  typescript: 'ts',
  javascript: 'js',
  python: 'py',
  java: 'java',
  go: 'go',
  kotlin: 'kt',
  rust: 'rs',
  'c#': 'cs',
  ruby: 'rb',
  php: 'php',
  scala: 'scala',
  shell: 'sh',
};

const seconds = (epochMillis: number): number => Math.floor(epochMillis / 1000);

/** Two small commits: a README naming the repository, then a .gitignore and a source file. */
export async function writeReadmeHistory(out: FastImportWriter, repository: RepositoryRecord): Promise<void> {
  const readme = `# ${repository.name}\n\n${repository.description || 'No description yet.'}\n\nRepository: ${repository.workspace}/${repository.slug}\n`;
  await out.commit({
    branch: repository.mainBranch,
    author: DEMO_PERSON,
    time: seconds(repository.createdOn),
    message: 'Initial commit\n',
    files: [{ path: 'README.md', content: readme }],
  });
  const extension = EXTENSIONS[repository.language] ?? 'txt';
  await out.commit({
    branch: repository.mainBranch,
    author: DEMO_PERSON,
    time: Math.max(seconds(repository.updatedOn), seconds(repository.createdOn) + 60),
    message: 'Add project scaffolding\n',
    files: [
      { path: '.gitignore', content: 'node_modules/\nout/\n*.log\n' },
      { path: `src/main.${extension}`, content: `// ${repository.name}\n// Entry point of ${repository.slug}.\n` },
    ],
  });
}

const WORDS = [
  'account',
  'buffer',
  'cache',
  'client',
  'commit',
  'config',
  'cursor',
  'digest',
  'event',
  'filter',
  'handler',
  'index',
  'ledger',
  'limit',
  'merge',
  'node',
  'offset',
  'page',
  'parser',
  'queue',
  'record',
  'request',
  'result',
  'retry',
  'schema',
  'session',
  'signal',
  'stream',
  'token',
  'value',
];

export const LARGE_HISTORY = {
  commits: 400,
  modules: 24,
  filesPerModule: 8,
  binaryAssets: 4,
  binaryAssetBytes: 700 * 1024,
} as const;

function functionBlock(random: SeededRandom, id: number): string {
  const name = `${random.pick(WORDS)}${random.pick(WORDS).replace(/^./, (c) => c.toUpperCase())}${id}`;
  const lines = [`export function ${name}(input: ${random.chance(0.5) ? 'string' : 'number'}[]): number {`];
  const body = random.int(6, 14);
  for (let i = 0; i < body; i++) {
    lines.push(
      `  const ${random.pick(WORDS)}${i} = input.length * ${random.int(2, 9999)} + ${random.int(0, 99)}; // ${random.pick(WORDS)} ${random.pick(WORDS)} ${random.pick(WORDS)}`,
    );
  }
  lines.push(`  return ${random.int(0, 1_000_000)};`, '}', '');
  return lines.join('\n');
}

/**
 * A few MB over hundreds of commits: ~200 TypeScript files that grow and change commit by commit,
 * plus a few incompressible binary assets, so clone benchmarks move real data.
 */
export async function writeLargeHistory(out: FastImportWriter, repository: RepositoryRecord): Promise<void> {
  const random = new SeededRandom(`large-history/${repository.workspace}/${repository.slug}`);
  const files = new Map<string, string[]>();
  let blockId = 0;
  const initial: Array<{ path: string; content: string | Buffer }> = [];
  for (let module = 0; module < LARGE_HISTORY.modules; module++) {
    for (let file = 0; file < LARGE_HISTORY.filesPerModule; file++) {
      const path = `packages/module-${String(module).padStart(2, '0')}/src/file-${file}.ts`;
      const blocks = Array.from({ length: 8 }, () => functionBlock(random, blockId++));
      files.set(path, blocks);
      initial.push({ path, content: blocks.join('\n') });
    }
  }
  initial.push({ path: 'README.md', content: `# ${repository.name}\n\n${repository.description}\n` });
  initial.push({ path: 'assets/blob-0.bin', content: random.bytes(LARGE_HISTORY.binaryAssetBytes) });

  let time = seconds(repository.createdOn);
  await out.commit({ branch: repository.mainBranch, author: DEMO_PERSON, time, message: 'Import the monorepo\n', files: initial });

  const paths = [...files.keys()];
  const assetEvery = Math.floor(LARGE_HISTORY.commits / LARGE_HISTORY.binaryAssets);
  for (let commit = 1; commit < LARGE_HISTORY.commits; commit++) {
    time += random.int(600, 36_000);
    const changed: Array<{ path: string; content: string | Buffer }> = [];
    const touches = random.int(1, 3);
    for (let t = 0; t < touches; t++) {
      const path = random.pick(paths);
      const blocks = files.get(path) as string[];
      if (random.chance(0.6)) {
        blocks.push(functionBlock(random, blockId++));
      } else {
        blocks[random.int(0, blocks.length - 1)] = functionBlock(random, blockId++);
      }
      changed.push({ path, content: blocks.join('\n') });
    }
    if (commit % 25 === 0) {
      const path = `packages/module-${String(random.int(0, LARGE_HISTORY.modules - 1)).padStart(2, '0')}/src/added-${commit}.ts`;
      const blocks = [functionBlock(random, blockId++), functionBlock(random, blockId++)];
      files.set(path, blocks);
      paths.push(path);
      changed.push({ path, content: blocks.join('\n') });
    }
    if (commit % assetEvery === 0) {
      changed.push({ path: `assets/blob-${commit / assetEvery}.bin`, content: random.bytes(LARGE_HISTORY.binaryAssetBytes) });
    }
    const verb = random.pick(['Refactor', 'Fix', 'Tune', 'Extend', 'Document', 'Speed up']);
    await out.commit({
      branch: repository.mainBranch,
      author: random.pick(AUTHORS),
      time,
      message: `${verb} ${changed.map((file) => file.path.split('/').pop()).join(', ')}\n\nChange ${commit} of the generated history.\n`,
      files: changed,
    });
  }
}
