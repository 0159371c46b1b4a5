// Bundles the extension into dist/extension.js and the bundles it requires on first use (SPLIT below).
// `--production` minifies without source maps; `--watch` rebuilds on change.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build problems in the `file:line:column: message` form VS Code's problem matchers read. */
const problemReporter = {
  name: 'problem-reporter',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of [...result.errors, ...result.warnings]) {
        console.error(`✘ ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** git runs the askpass scripts directly, so they ship beside the bundles, executable. */
function copyAskpassScripts() {
  fs.mkdirSync('dist', { recursive: true });
  for (const name of ['askpass.sh', 'askpass-bash.sh']) {
    const target = path.join('dist', name);
    fs.copyFileSync(path.join('src', 'git', name), target);
    fs.chmodSync(target, 0o755);
  }
}

/**
 * node-fetch 2 requires whatwg-url but uses Node's own URL whenever it exists, which it always does
 * here; the shim keeps about 280 KB of unused Unicode tables out of the bundle.
 */
const whatwgUrlShim = {
  name: 'whatwg-url-shim',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'shim' }));
    build.onLoad({ filter: /.*/, namespace: 'shim' }, () => ({ contents: 'module.exports = { URL: globalThis.URL };', loader: 'js' }));
  },
};

/**
 * The extension ships as a few CommonJS bundles rather than one, so that activating it reads and compiles only
 * what activation runs (about 100 KB rather than 170 KB): the Cloud client with zod and node-fetch
 * (`src/bitbucket/lazyCloud.ts`), the clone flow (`src/features/lazyClone.ts`), the other flows commands start
 * (`src/features/lazyFlows.ts`), browsing without cloning (`src/browse/initializeBrowse.ts`) and its disk cache are
 * bundles of their own, required on first use. Error classes cross those bundles (`instanceof`), so they live in one more bundle that
 * every other requires: one class, one identity. `checkSplit` fails the build if anything with a class or
 * module state ends up in two bundles.
 */
const SPLIT = [
  {
    out: 'shared',
    entry: 'src/common/sharedBundle.ts',
    sources: [
      'src/common/l10n.ts',
      'src/common/explainedError.ts',
      'src/common/invalidInputError.ts',
      'src/bitbucket/errors.ts',
      'src/host/errors.ts',
      'src/git/gitErrors.ts',
    ],
  },
  { out: 'cloud', entry: 'src/bitbucket/cloud.ts', sources: ['src/bitbucket/cloud.ts'] },
  { out: 'clone', entry: 'src/features/clone.ts', sources: ['src/features/clone.ts'] },
  { out: 'flows', entry: 'src/features/flows.ts', sources: ['src/features/flows.ts'] },
  { out: 'browse', entry: 'src/browse/browsing.ts', sources: ['src/browse/browsing.ts'] },
  { out: 'diskCache', entry: 'src/browse/diskCache.ts', sources: ['src/browse/diskCache.ts'] },
];

/** Imports of another bundle's sources become a runtime `require('./<bundle>.js')` of that bundle. */
function splitExternals(own) {
  const owners = new Map();
  for (const part of SPLIT) {
    if (part.out === own) continue;
    for (const source of part.sources) owners.set(path.resolve(source), part.out);
  }
  return {
    name: 'split-externals',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const out = owners.get(path.resolve(args.resolveDir, args.path) + '.ts');
        return out ? { path: `./${out}.js`, external: true } : undefined;
      });
    },
  };
}

/**
 * A source file in more than one bundle is a copy per bundle: fine for functions and constants, wrong for a
 * class some code tests with `instanceof` and for module state (`let`, or a `new` object at the top level).
 */
function checkSplit(metafiles) {
  const seen = new Map();
  for (const [bundle, metafile] of metafiles) {
    for (const output of Object.values(metafile.outputs)) {
      for (const input of Object.keys(output.inputs)) {
        if (input.startsWith('src/')) seen.set(input, [...(seen.get(input) ?? []), bundle]);
      }
    }
  }
  const everySource = [...seen.keys()].map((input) => fs.readFileSync(input, 'utf8')).join('\n');
  const identityMatters = (code) =>
    /^(let\s|(export\s+)?const\s+\w+\s*=\s*new\s)/m.test(code) ||
    [...code.matchAll(/\bclass\s+(\w+)/g)].some(([, name]) => new RegExp(`instanceof\\s+${name}\\b`).test(everySource));
  const problems = [...seen]
    .filter(([input, bundles]) => bundles.length > 1 && identityMatters(fs.readFileSync(input, 'utf8')))
    .map(([input, bundles]) => `${input} is in ${bundles.join(', ')}: give it one bundle (SPLIT in esbuild.js)`);
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

async function main() {
  if (production) fs.rmSync('dist', { recursive: true, force: true });
  copyAskpassScripts();
  const common = {
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    outdir: 'dist',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'silent',
    metafile: true,
  };
  const plugins = (own) => [whatwgUrlShim, splitExternals(own), ...(watch ? [problemReporter] : [])];
  const builds = [
    { name: 'extension', entryPoints: { extension: 'src/extension.ts' } },
    // The askpass program runs in its own process, started by git, so it is a bundle of its own.
    { name: 'askpass-main', entryPoints: { 'askpass-main': 'src/git/askpassMain.ts' } },
    ...SPLIT.map((part) => ({ name: part.out, entryPoints: { [part.out]: part.entry } })),
  ];
  const contexts = await Promise.all(
    builds.map(({ name, entryPoints }) =>
      esbuild.context({ ...common, entryPoints, plugins: name === 'askpass-main' ? [whatwgUrlShim] : plugins(name) }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
  checkSplit(results.map((result, i) => [builds[i].name, result.metafile]).filter(([name]) => name !== 'askpass-main'));
  for (const result of results) for (const warning of result.warnings) console.warn(warning.text);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
