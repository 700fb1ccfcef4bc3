/** Conformance class array-functions: A_EQUALS, A_CONTAINS, A_CONTAINEDBY, A_OVERLAPS and array literals. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCql2Text } from '../../src/index.ts';
import { equivalent, lit, prop } from './assertions.ts';

describe('cql2 array-functions', () => {
  equivalent('A_CONTAINS strings', "A_CONTAINS(tags, ('ferry', 'lock'))", { op: 'a_contains', args: [{ property: 'tags' }, ['ferry', 'lock']] }, {
    op: 'a_contains',
    args: [prop('tags'), { array: [lit('ferry'), lit('lock')] }],
  });
  equivalent('A_CONTAINEDBY', "A_CONTAINEDBY(tags, ('a', 'b', 'c'))", { op: 'a_containedBy', args: [{ property: 'tags' }, ['a', 'b', 'c']] });
  equivalent('A_EQUALS with the literal first and mixed values', "A_EQUALS((1, 'two', TRUE, 4.5), codes)", {
    op: 'a_equals',
    args: [[1, 'two', true, 4.5], { property: 'codes' }],
  });
  equivalent('A_OVERLAPS with temporal values', "A_OVERLAPS(events, (DATE('2020-02-02'), TIMESTAMP('2020-02-03T04:05:06Z')))", {
    op: 'a_overlaps',
    args: [{ property: 'events' }, [{ date: '2020-02-02' }, { timestamp: '2020-02-03T04:05:06Z' }]],
  });
  equivalent('a one-element array', "A_CONTAINS(tags, ('ferry'))", { op: 'a_contains', args: [{ property: 'tags' }, ['ferry']] }, {
    op: 'a_contains',
    args: [prop('tags'), { array: [lit('ferry')] }],
  });
  equivalent('an empty array', 'A_EQUALS(tags, ())', { op: 'a_equals', args: [{ property: 'tags' }, []] });
  equivalent('nested arrays', 'A_EQUALS(grid, ((1, 2), (3, 4)))', { op: 'a_equals', args: [{ property: 'grid' }, [[1, 2], [3, 4]]] });
  equivalent('two properties', 'A_OVERLAPS(tags, other_tags)', { op: 'a_overlaps', args: [{ property: 'tags' }, { property: 'other_tags' }] });
  it('reads mixed-case keywords', () => {
    assert.equal((parseCql2Text("a_containedby(tags, ('x'))") as { op: string }).op, 'a_containedBy');
  });
});
