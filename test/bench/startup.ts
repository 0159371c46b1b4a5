/**
 * Start-up and memory: the production bundle's size, measured here, and the figures only a real extension
 * host can give (activation time, heap growth), read from what the code-server harness wrote, if it did.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Row, Section, Target, formatValue, median, section } from './report';

const repoRoot = path.resolve(__dirname, '../../..');
const BUNDLE_TARGET_BYTES = 200 * 1024;
const BUNDLE_TARGET_NAME = 'Production bundles ≤ 200 KB together (204,800 bytes)';
const HOST_HINT = 'not measured (run npm run bench:host)';

/** The numbers under `key` in a results file the harness writes, or why there are none. */
function readHostFigures(file: string, key: string): { samples?: number[]; text?: string } {
  const full = path.join(repoRoot, 'test-results', file);
  if (!fs.existsSync(full)) return { text: HOST_HINT };
  try {
    const values = (JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>)[key];
    if (!Array.isArray(values) || values.length === 0 || !values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      return { text: `test-results/${file} has no numbers under "${key}"; ${HOST_HINT}` };
    }
    const age = Math.round((Date.now() - fs.statSync(full).mtimeMs) / 60_000);
    return { samples: values, text: `from test-results/${file}, written ${age} min ago` };
  } catch (error) {
    return { text: `test-results/${file} is unreadable (${(error as Error).message}); ${HOST_HINT}` };
  }
}

export function measureStartup(): Section[] {
  const startup = section('4. Start-up');
  const dist = path.join(repoRoot, 'dist');
  const bundle = path.join(dist, 'extension.js');
  if (fs.existsSync(bundle)) {
    // esbuild.js splits the extension: what activation reads, and what it requires on first use.
    const sizeOf = (name: string) => (fs.existsSync(path.join(dist, name)) ? fs.statSync(path.join(dist, name)).size : 0);
    const bundles = fs.readdirSync(dist).filter((name) => name.endsWith('.js') && name !== 'askpass-main.js');
    const atActivation = sizeOf('extension.js') + sizeOf('shared.js');
    const size = bundles.reduce((sum, name) => sum + sizeOf(name), 0);
    const figure = `${size.toLocaleString('en-US')} bytes (${formatValue(size, 'bytes')}) in ${bundles.length} bundles`;
    // The production build writes no source map; one beside the bundle means a development build.
    if (fs.existsSync(`${bundle}.map`)) {
      startup.rows.push({ label: 'dist/*.js (development build)', unit: 'bytes', samples: [size] });
      startup.notes.push(
        'dist/ holds a development build (it has a source map), not the production bundle: run npm run build:production first.',
      );
      startup.targets.push({
        name: BUNDLE_TARGET_NAME,
        met: undefined,
        figure: `not measured: dist/ holds a development build of ${figure}`,
      });
    } else {
      startup.rows.push({ label: 'read at activation: dist/extension.js + shared.js', unit: 'bytes', samples: [atActivation] });
      startup.rows.push({ label: `every bundle the extension runs (${bundles.join(', ')})`, unit: 'bytes', samples: [size] });
      startup.targets.push({ name: BUNDLE_TARGET_NAME, met: size <= BUNDLE_TARGET_BYTES, figure });
    }
  } else {
    startup.rows.push({ label: 'dist/extension.js (production bundle)', unit: 'bytes', text: 'missing: run npm run build:production' });
    startup.targets.push({ name: BUNDLE_TARGET_NAME, met: undefined, figure: 'dist/extension.js missing' });
  }
  const activation: Row = {
    label: 'activation in a real extension host (harness)',
    unit: 'ms',
    ...readHostFigures('activation.json', 'activationMs'),
  };
  startup.rows.push(activation);
  startup.notes.push('Activation is measured by the code-server harness (test/harness), not by this script.');
  startup.targets.push(hostTarget('Activation under 50 ms', activation, 50, 'ms'));

  const memory = section('5. Memory');
  const heap: Row = {
    label: 'heap growth in a real extension host (harness)',
    unit: 'bytes',
    ...readHostFigures('memory.json', 'heapGrowthBytes'),
  };
  memory.rows.push(heap);
  memory.targets.push(hostTarget('Heap growth under 30 MB for 5,000 repositories', heap, 30 * 1024 * 1024, 'bytes'));
  return [startup, memory];
}

/** A target judged on a figure the harness measured, or left open when it has not been measured. */
function hostTarget(name: string, row: Row, limit: number, unit: 'ms' | 'bytes'): Target {
  const samples = row.samples ?? [];
  if (samples.length === 0) return { name, met: undefined, figure: HOST_HINT };
  const value = median(samples);
  return { name, met: value < limit, figure: `median ${formatValue(value, unit)} (npm run bench:host)` };
}
