import { FieldTypes, FlatRecord, FlatValue } from './query';

/**
 * `?sort=field` or `?sort=-field`: one field only, as the filtering narrative says. Fields named in
 * `natural` compare by natural order (digit runs as numbers: v9 before v10), as refs sort by `name`.
 * A list value (tree entry attributes) sorts as its items joined by commas.
 */
export class SortError extends Error {}

export type RecordComparator = (a: FlatRecord, b: FlatRecord) => number;

export function compileSort(sort: string, fields: FieldTypes, natural: readonly string[] = []): RecordComparator {
  const text = sort.trim();
  if (text.includes(',')) {
    throw new SortError('Only one sort field is supported');
  }
  const descending = text.startsWith('-');
  const field = descending ? text.slice(1) : text;
  if (!fields[field]) {
    throw new SortError(`Invalid sort field: "${field}"`);
  }
  const direction = descending ? -1 : 1;
  const naturally = natural.includes(field);
  return (a, b) => {
    const left = scalar(a[field]);
    const right = scalar(b[field]);
    // Missing values go last whichever the direction.
    if (left === null || left === undefined || right === null || right === undefined) {
      return (left === null || left === undefined ? 1 : 0) - (right === null || right === undefined ? 1 : 0);
    }
    if (naturally && typeof left === 'string' && typeof right === 'string') {
      return direction * naturalCompare(left, right);
    }
    return direction * compareValues(left, right);
  };
}

function scalar(value: FlatValue): string | number | boolean | null | undefined {
  return Array.isArray(value) ? value.join(',') : (value as string | number | boolean | null | undefined);
}

/**
 * Natural order: runs of digits compare as numbers, the rest as case-folded text, so 1.2 < 1.10 and v9 < v10;
 * names equal that way fall back to plain comparison.
 */
export function naturalCompare(left: string, right: string): number {
  const a = left.match(/\d+|\D+/g) ?? [];
  const b = right.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    const digits = /^\d/.test(x) && /^\d/.test(y);
    const order = digits ? compareDigits(x, y) : compareRaw(x.toLowerCase(), y.toLowerCase());
    if (order !== 0) {
      return order;
    }
  }
  return a.length !== b.length ? a.length - b.length : compareRaw(left, right);
}

/** Digit runs of any length by value (leading zeros ignored), then the shorter run first. */
function compareDigits(x: string, y: string): number {
  const a = x.replace(/^0+(?=\d)/, '');
  const b = y.replace(/^0+(?=\d)/, '');
  return a.length !== b.length ? a.length - b.length : compareRaw(a, b) || x.length - y.length;
}

function compareValues(left: string | number | boolean, right: string | number | boolean): number {
  if (typeof left === 'string' && typeof right === 'string') {
    const folded = compareRaw(left.toLowerCase(), right.toLowerCase());
    return folded !== 0 ? folded : compareRaw(left, right);
  }
  return compareRaw(left, right);
}

function compareRaw<T>(left: T, right: T): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
