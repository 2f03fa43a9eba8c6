import { execFileSync } from 'child_process';

/**
 * Finds an external binary the integration tests need. Missing: under
 * SYRROCA_REQUIRE_INTEGRATION=1 (CI) the suite fails; otherwise it is skipped with a message.
 */
export function findBinary(name: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export const integrationRequired = process.env.SYRROCA_REQUIRE_INTEGRATION === '1';

/** `describe` when every binary exists; otherwise a failing (CI) or skipped (visible) suite. */
export function describeWith(binaries: string[], name: string, body: () => void): void {
  const missing = binaries.filter((b) => findBinary(b) === null);
  if (missing.length === 0) {
    describe(name, body);
  } else if (integrationRequired) {
    describe(name, () => {
      it(`needs ${missing.join(', ')} (SYRROCA_REQUIRE_INTEGRATION=1)`, () => {
        throw new Error(
          `missing ${missing.join(', ')}: apt-get install prometheus prometheus-alertmanager chromium strace`
        );
      });
    });
  } else {
    console.warn(`skipping "${name}": ${missing.join(', ')} not installed`);
    describe.skip(name, body);
  }
}
