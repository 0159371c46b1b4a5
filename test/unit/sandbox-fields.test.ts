import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFields, parseFields } from '../sandbox/fields';

const page = {
  pagelen: 10,
  size: 2,
  next: 'http://x/2.0/r?page=2',
  values: [
    {
      slug: 'a',
      name: 'A',
      links: {
        html: { href: 'h/a' },
        self: { href: 's/a' },
        clone: [
          { name: 'https', href: 'c/a' },
          { name: 'ssh', href: 'g/a' },
        ],
      },
      project: { key: 'P', name: 'Proj' },
    },
    {
      slug: 'b',
      name: 'B',
      links: { html: { href: 'h/b' }, self: { href: 's/b' }, clone: [{ name: 'https', href: 'c/b' }] },
      project: { key: 'Q', name: 'Quo' },
    },
  ],
};

describe('sandbox fields filter', () => {
  it('parses modes, treating a leading space (an unencoded +) as +', () => {
    assert.deepEqual(parseFields('next,-links, values.x,+values.y,,'), [
      { mode: 'keep', path: ['next'] },
      { mode: 'remove', path: ['links'] },
      { mode: 'add', path: ['values', 'x'] },
      { mode: 'add', path: ['values', 'y'] },
    ]);
  });

  it('keeps only the listed paths, through arrays', () => {
    assert.deepEqual(applyFields(page, 'next,values.slug,values.links.html.href'), {
      next: page.next,
      values: [
        { slug: 'a', links: { html: { href: 'h/a' } } },
        { slug: 'b', links: { html: { href: 'h/b' } } },
      ],
    });
  });

  it('drops next when the caller did not ask for it', () => {
    const trimmed = applyFields(page, 'values.slug') as Record<string, unknown>;
    assert.equal('next' in trimmed, false);
    assert.equal('size' in trimmed, false);
  });

  it('keeps whole subtrees and arrays of objects', () => {
    assert.deepEqual(applyFields(page, 'values.project.name,values.links.clone'), {
      values: [
        { project: { name: 'Proj' }, links: { clone: page.values[0].links.clone } },
        { project: { name: 'Quo' }, links: { clone: page.values[1].links.clone } },
      ],
    });
    assert.deepEqual(applyFields(page, 'values.links.clone.href'), {
      values: [{ links: { clone: [{ href: 'c/a' }, { href: 'g/a' }] } }, { links: { clone: [{ href: 'c/b' }] } }],
    });
  });

  it('removes with -path and -path.* and leaves the rest alone', () => {
    const removed = applyFields(page, '-values.links') as typeof page;
    assert.deepEqual(Object.keys(removed.values[0]), ['slug', 'name', 'project']);
    assert.equal(removed.next, page.next);
    const emptied = applyFields(page.values[0], '-links.*') as Record<string, unknown>;
    assert.deepEqual(emptied.links, {});
  });

  it('adds back with + after a wildcard removal, and + alone changes nothing', () => {
    assert.deepEqual(applyFields(page.values[0], '-*,+slug,+project.key'), { slug: 'a', project: { key: 'P' } });
    assert.deepEqual(applyFields(page, '+values.owner'), page);
    assert.deepEqual(applyFields(page, ' values.owner'), page);
  });

  it('never changes its input and tolerates unknown paths', () => {
    const before = JSON.stringify(page);
    applyFields(page, '-values.links,-next');
    assert.equal(JSON.stringify(page), before);
    assert.deepEqual(applyFields(page, 'values.nope'), { values: [{}, {}] });
    assert.equal(applyFields(page, ''), page);
  });
});
