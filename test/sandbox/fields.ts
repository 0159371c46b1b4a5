/**
 * Partial responses (`?fields=`), as the spec's "Partial responses" narrative describes them:
 * a comma-separated list where a bare path keeps only what is listed, `-path` removes, `+path` adds,
 * `*` matches every key at its level, and paths pass through arrays (`values.slug`).
 * The operations apply left to right, so `-*,+foo` empties the root and then brings `foo` back.
 */
type FieldMode = 'keep' | 'remove' | 'add';

export interface FieldOperation {
  mode: FieldMode;
  path: string[];
}

export function parseFields(spec: string): FieldOperation[] {
  const operations: FieldOperation[] = [];
  for (const raw of spec.split(',')) {
    let mode: FieldMode = 'keep';
    // An unencoded `+` reaches us as a space; read it as the `+` the caller meant.
    if (/^\s+\S/.test(raw)) {
      mode = 'add';
    }
    let text = raw.trim();
    if (text.startsWith('+')) {
      mode = 'add';
      text = text.slice(1).trim();
    } else if (text.startsWith('-')) {
      mode = 'remove';
      text = text.slice(1).trim();
    }
    if (text !== '') {
      operations.push({ mode, path: text.split('.') });
    }
  }
  return operations;
}

export function applyFields(document: unknown, spec: string): unknown {
  const operations = parseFields(spec);
  if (operations.length === 0) {
    return document;
  }
  let result: unknown = operations.some((op) => op.mode === 'keep') ? {} : structuredClone(document);
  for (const op of operations) {
    if (op.mode === 'remove') {
      removePath(result, op.path);
    } else {
      result = copyPath(document, op.path, result) ?? result;
    }
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Copies what `path` selects in `source` into `target` (which may hold earlier selections) and returns it. */
function copyPath(source: unknown, path: string[], target: unknown): unknown {
  if (path.length === 0) {
    return structuredClone(source);
  }
  if (Array.isArray(source)) {
    const out: unknown[] = Array.isArray(target) ? target : [];
    source.forEach((item, index) => {
      const picked = copyPath(item, path, out[index]);
      out[index] = picked === undefined ? (out[index] ?? null) : picked;
    });
    return out;
  }
  if (!isPlainObject(source)) {
    return undefined;
  }
  const out: Record<string, unknown> = isPlainObject(target) ? target : {};
  const [head, ...rest] = path;
  const keys = head === '*' ? Object.keys(source) : Object.prototype.hasOwnProperty.call(source, head) ? [head] : [];
  for (const key of keys) {
    const picked = copyPath(source[key], rest, out[key]);
    if (picked !== undefined) {
      out[key] = picked;
    }
  }
  return out;
}

function removePath(target: unknown, path: string[]): void {
  if (Array.isArray(target)) {
    target.forEach((item) => removePath(item, path));
    return;
  }
  if (!isPlainObject(target)) {
    return;
  }
  const [head, ...rest] = path;
  const keys = head === '*' ? Object.keys(target) : [head];
  for (const key of keys) {
    if (rest.length === 0) {
      delete target[key];
    } else {
      removePath(target[key], rest);
    }
  }
}
