/**
 * Hostile query set files and group catalog files: whatever the JSON, reading ends in an InputError
 * naming the file and the key, or in a set that holds exactly what the file says (no group, query
 * or pattern silently lost), whose queries expand and whose patterns group features without error.
 */
import fc from 'fast-check';

import { fuzz, hostileText, jsonEdits, mutate } from '../../tests/helpers/fuzz';
import { InputError, SyrrocaError } from '../core/errors';
import { assignGroups, parseCatalog } from '../core/groups';
import { DEFAULT_QUERY_SET, expandQuerySet, parseQuerySet } from './querySet';

const CASES = 400;

/** Keys a hand-written or hostile file may use. */
const key = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_-]{0,6}$/) },
  { weight: 1, arbitrary: fc.constant('__proto__') },
  fc.constantFrom('__proto__', 'constructor', 'toString', '$fallback', '', '1cpu', '-x', 'a b', 'cpu.x', 'ü')
);
const query = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('up', 'node_load1', 'x{a="b"}') },
  fc.constantFrom(
    'up',
    'up{namespace="$namespace"}',
    'rate(x_total[$interval])',
    'm{a=~"${instance:raw}"}',
    'x{a="$$"}',
    '# c\nup'
  ),
  hostileText(20)
);
/**
 * A JSON object as text, written key by key: an object literal would turn a `__proto__` key into its
 * prototype, where JSON.parse makes it a key like any other (as a file holds it).
 */
const objectText = (entries: fc.Arbitrary<Array<[string, unknown]>>) =>
  entries.map(
    (list) =>
      `{${list.map(([k, v]) => `${JSON.stringify(k)}:${v === undefined ? 'null' : JSON.stringify(v)}`).join(',')}}`
  );
const entriesOf = <T>(value: fc.Arbitrary<T>) =>
  fc.uniqueArray(fc.tuple(key, value as fc.Arbitrary<unknown>), { selector: (e) => e[0], maxLength: 4 });
const querySetDoc = fc
  .record(
    {
      version: fc.constantFrom<unknown>(1, 2, '1', null).map((v) => JSON.stringify(v)),
      step: fc.constantFrom<unknown>('30s', '1m30s', '0s', '', '30', 30, '5ms', '1y2w').map((v) => JSON.stringify(v)),
      variables: objectText(entriesOf(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom<unknown>(1, null)))),
      groups: objectText(
        entriesOf(fc.oneof(fc.array(query, { maxLength: 4 }), fc.constantFrom<unknown>('up', null, {})))
      ),
    },
    { requiredKeys: [] }
  )
  .map(
    (fields) =>
      `{${Object.entries(fields)
        .map(([k, text]) => `"${k}":${text}`)
        .join(',')}}`
  );

function parsedOrInputError<T>(parse: () => T, source: string): T | InputError {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InputError)) {
      throw error;
    }
    expect(error.message.startsWith(`${source}`)).toBe(true);
    return error;
  }
}

/** A valid set's text, with its groups, queries and variables exactly those of the file. */
function checkQuerySet(text: string) {
  const result = parsedOrInputError(() => parseQuerySet(text, 'q.json'), 'q.json');
  if (result instanceof InputError) {
    return;
  }
  const file = JSON.parse(text);
  expect(Object.keys(result.groups)).toEqual(Object.keys(file.groups));
  for (const [group, queries] of Object.entries(result.groups)) {
    expect(queries).toEqual(file.groups[group]);
  }
  // Expanding with a value for every variable the queries use either works or says which one cannot be placed.
  try {
    expandQuerySet(result, { namespace: 'vims', interval: '5m', instance: '.+' });
  } catch (error) {
    expect(error).toBeInstanceOf(SyrrocaError);
  }
}

describe('parseQuerySet on hostile files', () => {
  it(`ends each of ${CASES} random query set documents in an InputError or exactly the file's groups and queries`, () => {
    fuzz(
      fc.property(querySetDoc, (text) => checkQuerySet(text)),
      CASES
    );
  });

  it(`does the same for ${CASES} edits of the default query set, and for arbitrary text`, () => {
    fuzz(
      fc.property(jsonEdits, hostileText(40), (edits, text) => {
        checkQuerySet(JSON.stringify(mutate(DEFAULT_QUERY_SET, edits)));
        parsedOrInputError(() => parseQuerySet(text, 'q.json'), 'q.json');
      }),
      CASES
    );
  });
});

describe('parseCatalog on hostile files', () => {
  const pattern = fc.oneof(
    fc.constantFrom('^container_cpu_', '(', '[a-', '^x$', '\\', '(?<n>a)', '.*', ''),
    hostileText(8)
  );
  const catalogDoc = objectText(
    entriesOf(fc.oneof(fc.array(pattern, { maxLength: 3 }), fc.constantFrom<unknown>(null, 'other', 1, '^x', [1], {})))
  );
  const features = ['container_cpu_usage_seconds_total{pod="a"}', 'node_load1', 'x', '__proto__', '(', ''];

  it(`ends each of ${CASES} random catalogs in an InputError, or rules for exactly the file's groups that group features`, () => {
    fuzz(
      fc.property(catalogDoc, (text) => {
        const json = JSON.parse(text);
        const result = parsedOrInputError(() => parseCatalog(json, 'groups.json'), 'groups.json');
        if (result instanceof InputError) {
          return;
        }
        expect(result.rules.map((r) => r.group)).toEqual(Object.keys(json).filter((k) => k !== '$fallback'));
        const members = assignGroups(features, result);
        const assigned = [...members.values()].flat();
        // Each feature in at most one group; unmatched ones in the fallback unless it is null.
        expect(new Set(assigned).size).toBe(assigned.length);
        if (result.fallback !== null) {
          expect(assigned.length).toBe(features.length);
        }
      }),
      CASES
    );
  });
});
