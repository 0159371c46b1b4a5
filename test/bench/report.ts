/**
 * What the benchmark found, as rows of per-run samples and targets, printed as a table of medians and
 * ranges and written as JSON. Nothing here fails on a figure: a missed target is reported, not thrown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How a row's numbers read: `factor` is "N×", `fraction` a share, the rest what they say. */
export type Unit = 'ms' | 'count' | 'bytes' | 'factor' | 'fraction';

export interface Row {
  readonly label: string;
  readonly unit: Unit;
  /** One figure per run; absent when the row was not measured (then `text` says why). */
  readonly samples?: readonly number[];
  readonly text?: string;
  /** Computed from other rows (a ratio of medians), not a run of its own: no run count is shown. */
  readonly derived?: boolean;
}

export interface Target {
  readonly name: string;
  /** undefined when it could not be measured. */
  readonly met: boolean | undefined;
  /** The figure that decides, as a reader wants to see it. */
  readonly figure: string;
}

export interface Section {
  readonly title: string;
  readonly rows: Row[];
  readonly notes: string[];
  readonly targets: Target[];
}

export function section(title: string): Section {
  return { title, rows: [], notes: [], targets: [] };
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

export function median(samples: readonly number[]): number {
  return summarize(samples).median;
}

export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'ms':
      if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
      return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value).toLocaleString('en-US')} ms`;
    case 'count':
      return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
    case 'bytes':
      if (value < 10 * 1024) return `${Math.round(value).toLocaleString('en-US')} B`;
      if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KB`;
      return `${(value / 1024 / 1024).toFixed(2)} MB`;
    case 'factor':
      return `${value.toFixed(value >= 10 ? 1 : 2)}×`;
    case 'fraction':
      return value.toFixed(3);
  }
}

const LABEL_WIDTH = 54;
const MEDIAN_WIDTH = 12;
const RANGE_WIDTH = 21;

export function printReport(heading: readonly string[], sections: readonly Section[], write: (line: string) => void): void {
  for (const line of heading) write(line);
  for (const current of sections) {
    write('');
    write(current.title);
    write(`  ${'measure'.padEnd(LABEL_WIDTH)}${'median'.padStart(MEDIAN_WIDTH)}  ${'range (min–max)'.padEnd(RANGE_WIDTH)} runs`);
    for (const row of current.rows) write(`  ${formatRow(row)}`);
    for (const note of current.notes) write(`  · ${note}`);
  }
  const targets = sections.flatMap((current) => current.targets);
  write('');
  write('Targets');
  for (const target of targets) {
    const verdict = target.met === undefined ? 'n/a' : target.met ? 'met' : 'MISSED';
    write(`  ${`[${verdict}]`.padEnd(9)}${target.name}: ${target.figure}`);
  }
}

function formatRow(row: Row): string {
  const label = row.label.padEnd(LABEL_WIDTH);
  if (!row.samples || row.samples.length === 0) return `${label}${''.padStart(MEDIAN_WIDTH)}  ${row.text ?? 'not measured'}`;
  const { median: middle, min, max } = summarize(row.samples);
  const runs = row.derived ? '' : String(row.samples.length);
  const text = row.text ? `  ${row.text}` : '';
  return `${label}${formatValue(middle, row.unit).padStart(MEDIAN_WIDTH)}  ${formatRange(min, max, row.unit).padEnd(RANGE_WIDTH)} ${runs.padStart(4)}${text}`;
}

/** "87–119 ms"; the unit is written once when both ends share it, and nothing when they read the same. */
function formatRange(min: number, max: number, unit: Unit): string {
  const low = formatValue(min, unit);
  const high = formatValue(max, unit);
  if (low === high) return '';
  const lowUnit = /\s\S+$/.exec(low)?.[0];
  return lowUnit && high.endsWith(lowUnit) ? `${low.slice(0, -lowUnit.length)}–${high}` : `${low}–${high}`;
}

/** The same findings for machines: raw samples beside their summaries. */
export function writeJson(file: string, settings: Record<string, unknown>, sections: readonly Section[]): void {
  const json = {
    ...settings,
    sections: sections.map((current) => ({
      title: current.title,
      rows: current.rows.map((row) => ({
        label: row.label,
        unit: row.unit,
        ...(row.samples && row.samples.length > 0 ? { ...summarize(row.samples), samples: row.samples } : {}),
        ...(row.text ? { text: row.text } : {}),
      })),
      notes: current.notes,
      targets: current.targets,
    })),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}
