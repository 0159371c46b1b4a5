import { FieldTypes, FlatRecord } from './query';

/** `?sort=field` or `?sort=-field`: one field only, as the filtering narrative says. */
export class SortError extends Error {}

export type RecordComparator = (a: FlatRecord, b: FlatRecord) => number;

export function compileSort(sort: string, fields: FieldTypes): RecordComparator {
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
  return (a, b) => {
    const left = a[field];
    const right = b[field];
    // Missing values go last whichever the direction.
    if (left === null || left === undefined || right === null || right === undefined) {
      return (left === null || left === undefined ? 1 : 0) - (right === null || right === undefined ? 1 : 0);
    }
    return direction * compareValues(left, right);
  };
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
