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
export function fuzzCases(cases: number): fc.Parameters<unknown> {
  return { numRuns: Math.max(1, Math.round(cases * scale)), ...(seed === undefined ? {} : { seed }) };
}

/** Asserts a synchronous property over `cases` cases. */
export function fuzz<T>(property: fc.IProperty<T>, cases: number): void {
  fc.assert(property, fuzzCases(cases) as fc.Parameters<T>);
}

/** Asserts an asynchronous property over `cases` cases. */
export async function fuzzAsync<T>(property: fc.IAsyncProperty<T>, cases: number): Promise<void> {
  await fc.assert(property, fuzzCases(cases) as fc.Parameters<T>);
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
