import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileQuery, FieldTypes, FlatRecord, parseDateTime, QueryError } from '../sandbox/query';
import { compileSort, naturalCompare, SortError } from '../sandbox/sort';

const FIELDS: FieldTypes = {
  name: 'string',
  slug: 'string',
  is_private: 'boolean',
  size: 'number',
  updated_on: 'datetime',
  language: 'string',
  'project.key': 'string',
};

const day = (text: string): number => Date.parse(`${text}T00:00:00Z`);
const RECORDS: FlatRecord[] = [
  {
    name: 'Service-0042 API',
    slug: 'service-0042-api',
    is_private: true,
    size: 10,
    updated_on: day('2024-01-01'),
    language: 'go',
    'project.key': 'PLAT',
  },
  { name: 'web "quoted"', slug: 'web', is_private: false, size: 500, updated_on: day('2026-03-01'), language: '', 'project.key': 'WEB' },
  {
    name: 'Thé House',
    slug: 'th-house',
    is_private: false,
    size: 42,
    updated_on: day('2020-05-05'),
    language: 'python',
    'project.key': 'PLAT',
  },
];

function select(query: string): string[] {
  const matches = compileQuery(query, FIELDS);
  return RECORDS.filter(matches).map((record) => String(record.slug));
}

describe('sandbox BBQL filter', () => {
  it('matches ~ case-insensitively and = exactly', () => {
    assert.deepEqual(select('name ~ "service-0042"'), ['service-0042-api']);
    assert.deepEqual(select('name = "service-0042 api"'), []);
    assert.deepEqual(select('slug = "web"'), ['web']);
    assert.deepEqual(select('name !~ "e"'), []);
    assert.deepEqual(select('slug != "web"'), ['service-0042-api', 'th-house']);
  });

  it('handles booleans, numbers, dates and nested field names', () => {
    assert.deepEqual(select('is_private = false'), ['web', 'th-house']);
    assert.deepEqual(select('size >= 42'), ['web', 'th-house']);
    assert.deepEqual(select('size < 42'), ['service-0042-api']);
    assert.deepEqual(select('updated_on > 2025-01-01'), ['web']);
    assert.deepEqual(select('updated_on <= 2020-05-05T00:00:00+00:00'), ['th-house']);
    assert.deepEqual(select('updated_on > "2023-12-31T23:00:00"'), ['service-0042-api', 'web']);
    assert.deepEqual(select('project.key = "PLAT"'), ['service-0042-api', 'th-house']);
  });

  it('combines with AND / OR (either case), parentheses, IN and NOT IN', () => {
    assert.deepEqual(select('project.key = "PLAT" AND is_private = false'), ['th-house']);
    assert.deepEqual(select('slug = "web" or slug = "th-house"'), ['web', 'th-house']);
    assert.deepEqual(select('(slug = "web" OR slug = "th-house") AND size > 100'), ['web']);
    assert.deepEqual(select('slug = "web" OR slug = "th-house" AND size > 100'), ['web']);
    assert.deepEqual(select('language IN ("go", "python")'), ['service-0042-api', 'th-house']);
    assert.deepEqual(select('language NOT IN ("go", "python")'), ['web']);
  });

  it('reads escapes and unicode in strings, and null as absence', () => {
    assert.deepEqual(select('name ~ "\\"quoted\\""'), ['web']);
    assert.deepEqual(select('name ~ "th\\u00e9"'), ['th-house']);
    assert.deepEqual(select('name ~ "THÉ"'), ['th-house']);
    assert.deepEqual(select('language = null'), ['web']);
    assert.deepEqual(select('language != null'), ['service-0042-api', 'th-house']);
  });

  it('rejects malformed queries with a QueryError', () => {
    const bad = [
      '',
      'name ~',
      'name ~ "open',
      'nope = "x"',
      'name "x"',
      'name = "x" AND',
      '(name = "x"',
      'name = "x")',
      'is_private = "true"',
      'size ~ 4',
      'is_private > false',
      'updated_on > yesterday',
      'name > null',
      'name = "\\q"',
    ];
    for (const query of bad) {
      assert.throws(() => compileQuery(query, FIELDS), QueryError, query);
    }
  });

  it('parses ISO-8601 dates in UTC unless an offset is given', () => {
    assert.equal(parseDateTime('2015-03-04'), Date.UTC(2015, 2, 4));
    assert.equal(parseDateTime('2015-03-04T14:08:59'), Date.UTC(2015, 2, 4, 14, 8, 59));
    assert.equal(parseDateTime('2015-03-04T14:08:59.123+02:00'), Date.UTC(2015, 2, 4, 12, 8, 59, 123));
    assert.equal(parseDateTime('2015-11-11T00:00:00-07:00'), Date.UTC(2015, 10, 11, 7));
    assert.equal(parseDateTime('March 4th'), undefined);
  });
});

describe('sandbox sort', () => {
  const order = (sort: string): string[] => [...RECORDS].sort(compileSort(sort, FIELDS)).map((record) => String(record.slug));

  it('sorts one field ascending, or descending with -', () => {
    assert.deepEqual(order('size'), ['service-0042-api', 'th-house', 'web']);
    assert.deepEqual(order('-updated_on'), ['web', 'service-0042-api', 'th-house']);
    assert.deepEqual(order('name'), ['service-0042-api', 'th-house', 'web']);
  });

  it('refuses unknown fields and compound sorts', () => {
    assert.throws(() => compileSort('bogus', FIELDS), SortError);
    assert.throws(() => compileSort('name,size', FIELDS), SortError);
    assert.throws(() => compileSort('-', FIELDS), SortError);
  });

  it('sorts named fields naturally: digit runs as numbers', () => {
    const tags = ['v1.10', 'v1.9', 'v0.10', 'v0.9', 'V1.2', 'release-2', 'release-10'];
    assert.deepEqual([...tags].sort(naturalCompare), ['release-2', 'release-10', 'v0.9', 'v0.10', 'V1.2', 'v1.9', 'v1.10']);
    assert.ok(naturalCompare('file007', 'file7') !== 0);
    const records: FlatRecord[] = tags.map((name) => ({ name }));
    const sorted = (sort: string, natural: string[]): string[] =>
      [...records].sort(compileSort(sort, { name: 'string' }, natural)).map((record) => String(record.name));
    assert.deepEqual(sorted('-name', ['name']), ['v1.10', 'v1.9', 'V1.2', 'v0.10', 'v0.9', 'release-10', 'release-2']);
    assert.deepEqual(sorted('name', []).slice(0, 2), ['release-10', 'release-2']);
  });
});

describe('sandbox query over list fields (tree entry attributes)', () => {
  const entries: FlatRecord[] = [
    { path: 'logo.png', attributes: ['binary'], size: 3172 },
    { path: 'run.sh', attributes: ['executable'], size: 40 },
    { path: 'tool', attributes: ['executable', 'binary'], size: 9000 },
    { path: 'README.md', attributes: [], size: 164 },
    { path: 'docs' },
  ];
  const fields: FieldTypes = { path: 'string', attributes: 'string', size: 'number' };
  const select = (query: string): string[] => entries.filter(compileQuery(query, fields)).map((entry) => String(entry.path));

  it('matches = and ~ on any item, != and !~ on none, and = null on an empty or missing list', () => {
    assert.deepEqual(select('attributes = "binary"'), ['logo.png', 'tool']);
    assert.deepEqual(select('attributes ~ "exec"'), ['run.sh', 'tool']);
    assert.deepEqual(select('attributes != "binary"'), ['run.sh', 'README.md', 'docs']);
    assert.deepEqual(select('attributes !~ "bin"'), ['run.sh', 'README.md', 'docs']);
    assert.deepEqual(select('attributes = null'), ['README.md', 'docs']);
    assert.deepEqual(select('attributes != null'), ['logo.png', 'run.sh', 'tool']);
    assert.deepEqual(select('size > 1024 and attributes = "binary"'), ['logo.png', 'tool']);
    assert.deepEqual(select('attributes IN ("executable")'), ['run.sh', 'tool']);
  });

  it('sorts a list field by its items joined', () => {
    const order = [...entries].sort(compileSort('attributes', fields)).map((entry) => String(entry.path));
    assert.deepEqual(order, ['README.md', 'logo.png', 'run.sh', 'tool', 'docs']);
  });
});
