// Bundles the extension into one CommonJS file, dist/extension.js.
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

async function main() {
  if (production) fs.rmSync('dist', { recursive: true, force: true });
  copyAskpassScripts();
  const context = await esbuild.context({
    // The askpass program runs in its own process, started by git, so it is a bundle of its own.
    entryPoints: { extension: 'src/extension.ts', 'askpass-main': 'src/git/askpassMain.ts' },
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
    plugins: watch ? [whatwgUrlShim, problemReporter] : [whatwgUrlShim],
  });
  if (watch) {
    await context.watch();
    return;
  }
  const result = await context.rebuild();
  await context.dispose();
  for (const warning of result.warnings) console.warn(warning.text);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
