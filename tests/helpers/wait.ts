/**
 * Polling for cross-process tests: the condition is checked every `intervalMs` until it returns a
 * value other than undefined/false, or the time runs out with a message saying what was awaited
 * and what was last seen.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  {
    timeoutMs = 30_000,
    intervalMs = 250,
    describe,
  }: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {}
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) {
        return value;
      }
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const seen = describe ? `\n--- state ---\n${describe()}` : '';
      const error = lastError ? ` (last error: ${(lastError as Error).message})` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${error}${seen}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
