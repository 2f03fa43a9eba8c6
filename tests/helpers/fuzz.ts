/**
 * Bounds for the property-based (fast-check) suites. Each suite states its number of cases; CI runs
 * exactly that many, so the suites stay fast. `SYRROCA_FUZZ_SCALE=20 npx jest fuzz` runs 20 times as
 * many (a deeper search before a release), and `SYRROCA_FUZZ_SEED` replays a failure that
 * fast-check reported.
 */
import fc from 'fast-check';

const scale = Number(process.env.SYRROCA_FUZZ_SCALE ?? 1);
const seed = process.env.SYRROCA_FUZZ_SEED === undefined ? undefined : Number(process.env.SYRROCA_FUZZ_SEED);

/** fast-check's parameters for `cases` cases (times SYRROCA_FUZZ_SCALE). */
export function fuzzCases<T = unknown>(cases: number): fc.Parameters<T> {
  return { numRuns: Math.max(1, Math.round(cases * scale)), ...(seed === undefined ? {} : { seed }) };
}

/** Asserts a synchronous property over `cases` cases. */
export function fuzz<T>(property: fc.IProperty<T>, cases: number): void {
  fc.assert(property, fuzzCases<T>(cases));
}

/** Asserts an asynchronous property over `cases` cases. */
export async function fuzzAsync<T>(property: fc.IAsyncProperty<T>, cases: number): Promise<void> {
  await fc.assert(property, fuzzCases<T>(cases));
}

/** Text that stresses parsers: quotes, separators, escapes, line ends, braces, HTML, control and astral characters. */
export const hostileText = (maxLength = 24) =>
  fc.string({
    unit: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '"',
          "'",
          ',',
          '\\',
          '\n',
          '\r',
          '{',
          '}',
          '=',
          ' ',
          '\t',
          '<',
          '>',
          '&',
          '`',
          '$',
          '#',
          '\0',
          '\u2028',
          '\ufeff',
          '😀'
        ),
      },
      { weight: 4, arbitrary: fc.constantFrom(...'abcxyz_019.-+eE') },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }
    ),
    maxLength,
  });

/** In a JSON edit: remove the value instead of replacing it. */
export const DELETE = Symbol('delete');
type Replacement = unknown | typeof DELETE;

/** Every path into a JSON value (object keys and array indices), the root excluded. */
export function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  const keys: Array<string | number> = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => [
    [...prefix, k],
    ...paths((value as Record<string | number, unknown>)[k], [...prefix, k]),
  ]);
}

/** A deep copy of `value` with the values at the chosen paths replaced or deleted. */
export function mutate(value: unknown, edits: Array<{ at: number; by: Replacement }>): unknown {
  const copy = JSON.parse(JSON.stringify(value));
  for (const { at, by } of edits) {
    const all = paths(copy);
    if (all.length === 0) {
      break;
    }
    const path = all[at % all.length];
    const parent = path.slice(0, -1).reduce((o: any, k) => o[k], copy);
    const key = path[path.length - 1];
    if (by === DELETE) {
      if (Array.isArray(parent)) {
        parent.splice(key as number, 1);
      } else {
        delete parent[key];
      }
    } else {
      // A copy: a later edit may land inside this value, and fast-check reuses generated values while
      // shrinking, so writing into `by` itself could make it contain itself.
      parent[key] = structuredClone(by);
    }
  }
  return copy;
}

/** Values that break documents: wrong types, empty, negative, fractional, huge, and random JSON. */
export const replacement: fc.Arbitrary<Replacement> = fc.oneof(
  fc.constant(DELETE),
  fc.constantFrom(
    null,
    -1,
    0,
    0.5,
    2,
    3,
    1e9,
    2 ** 31,
    1e308,
    -1e308,
    '',
    'NaN',
    'float16',
    'int32',
    [],
    {},
    [1e9, 1e9],
    [-1],
    [2, -2],
    true
  ),
  fc.jsonValue({ maxDepth: 2 })
);
/** One to three edits of a JSON document: at a path (any index, wrapped), a replacement or a deletion. */
export const jsonEdits = fc.array(fc.record({ at: fc.nat(), by: replacement }), { minLength: 1, maxLength: 3 });
