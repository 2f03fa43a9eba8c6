/**
 * The model artifact survives the process dying while it writes and a full disk: `syrroca train`
 * runs for real (the bin, in a fresh Node process) over a models directory that holds a good
 * artifact. Killed with SIGKILL before each file operation of the write in turn (a test hook,
 * SYRROCA_TEST_PAUSE_WRITE=n, stops it there), or refused space by a file size limit (`ulimit -f`,
 * works without root) or by a full tmpfs (root only), it leaves an artifact that loads, whole: all
 * the old models or all the new ones, never a mix; the next write cleans up what a killed one left.
 * A power loss cannot be staged here: strace shows instead that every file and directory is flushed
 * before the rename that publishes it.
 */
import { spawn, spawnSync } from 'child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'fs';
import { join } from 'path';

import { formatWideCsv } from '../src/core/csv';
import { readArtifacts } from '../src/node/artifacts';
import { describeWith } from './helpers/binaries';
import { collect, ROOT, runCli, startCli, tempDir, type CliResult } from './helpers/cli';
import { synthetic } from './helpers/synthetic';

/** Content hash per group, in index order: which training the directory holds. */
async function hashes(models: string): Promise<string> {
  return (await readArtifacts(models)).map((g) => `${g.manifest.group}:${g.manifest.contentHash}`).join(' ');
}

/** The lines `syrroca <command>` wrote about itself on stderr (tfjs may warn around them), newline-ended. */
const errorLines = (result: CliResult, command: string) =>
  result.stderr
    .split('\n')
    .filter((l) => l.startsWith(`syrroca ${command}:`))
    .join('\n') + '\n';

/** `syrroca <args>` under `ulimit -f <blocks>` (1 KiB blocks in bash); Node ignores SIGXFSZ, so writes fail with EFBIG. */
function runLimited(blocks: number, args: string[]): Promise<CliResult> {
  return collect(
    spawn(
      'bash',
      ['-c', `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, join(ROOT, 'bin', 'syrroca.js'), ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }
    )
  );
}

describe('the model artifact under faults', () => {
  const dir = tempDir('artifact-faults');
  const csv = join(dir.path, 'nominal.csv');
  const work = join(dir.path, 'work');
  const models = join(work, 'models');
  const train = (seed: number, out = models) => [
    'train',
    '--csv',
    csv,
    '--out',
    out,
    '--window',
    '5',
    '--epochs',
    '1',
    '--seed',
    String(seed),
  ];
  let old = '';

  beforeAll(async () => {
    writeFileSync(csv, formatWideCsv(synthetic({ steps: 200, seed: 5 })));
    mkdirSync(work);
    const result = await runCli(train(1));
    expect(result.stderr).toContain('wrote 4 group model(s)');
    old = await hashes(models);
  }, 120_000);

  afterAll(() => dir.remove());

  it('keeps a whole artifact, the old or the new, when killed with SIGKILL before any file operation of the write', async () => {
    const seen: Array<{ n: number; label: string; hash: string; fromPrevious: boolean }> = [];
    let fresh = '';
    for (let n = 1; ; n++) {
      // One group (`all`): fewer operations to kill at, each of them the same as per group of four.
      const child = startCli([...train(2), '--groups', 'single'], { env: { SYRROCA_TEST_PAUSE_WRITE: String(n) } });
      const outcome = await child.waitForLog(/paused before write operation \d+: (.*)\n/, 120_000).then(
        (m) => m[1],
        () => null
      );
      if (outcome === null) {
        // Fewer than n operations: this write ran to its end.
        expect(await child.exited).toEqual({ code: 0, signal: null });
        fresh = await hashes(models);
        break;
      }
      await child.stop('SIGKILL');
      const fromPrevious = !readdirSync(work).includes('models');
      // Loads, with every hash checked against its files (a mix or a half-written file would throw).
      seen.push({ n, label: outcome, hash: await hashes(models), fromPrevious });
      expect(n).toBeLessThan(40);
    }
    expect(fresh).not.toBe(old);
    // Every state after a kill was one of the two whole artifacts, the old or the new.
    const state = (hash: string) => (hash === old ? 'old' : hash === fresh ? 'new' : `a mix: ${hash}`);
    expect(seen.map((s) => state(s.hash)).filter((s) => s !== 'old' && s !== 'new')).toEqual([]);
    // The kill points include every file of the group, the index and both renames.
    const labels = seen.map((s) => s.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'write all/model.json',
        'write all/weights.bin',
        'write all/manifest.json',
        'write models.json',
      ])
    );
    expect(labels.some((l) => /^rename models to \.models\.previous-\d+$/.test(l))).toBe(true);
    expect(labels.some((l) => /^rename \.models\.tmp-\d+-\w+ to models$/.test(l))).toBe(true);
    // Killed between the renames, the models directory is missing and the previous one is loaded.
    expect(seen.some((s) => s.fromPrevious && s.hash === old)).toBe(true);
    // The completed write removed every temp and previous directory the killed ones left.
    expect(readdirSync(work)).toEqual(['models']);

    console.log(
      `SIGKILL at ${seen.length} points of the write, every time a whole artifact loaded ` +
        `(${seen.filter((s) => s.hash === old).length} old, ${seen.filter((s) => s.hash === fresh).length} new, ` +
        `${seen.filter((s) => s.fromPrevious).length} from the previous directory):\n` +
        seen.map((s) => `  ${s.n}: ${s.label} -> ${state(s.hash)}${s.fromPrevious ? ' (previous)' : ''}`).join('\n')
    );
  }, 900_000);

  describe('a full disk', () => {
    const full = (path: string) =>
      new RegExp(
        `^syrroca (train|score): cannot write (the models to )?${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ` +
          '(EFBIG: file too large|ENOSPC: no space left on device), write; .* unchanged: ' +
          'free some space \\(or raise the file size limit\\) or write elsewhere, and run the command again\\n$'
      );

    it('under a file size limit: train fails in one line naming the directory and what to do, the old artifact intact', async () => {
      const before = await hashes(models);
      // 8 KiB: the small files of the artifact fit, the weights do not.
      const result = await runLimited(8, train(3));
      expect(result.code).toBe(1);
      expect(errorLines(result, 'train')).toMatch(full(models));
      expect(await hashes(models)).toBe(before);
      expect(readdirSync(work)).toEqual(['models']);
    }, 120_000);

    it('under a file size limit: score fails naming the output file, and leaves no partial file', async () => {
      const out = join(work, 'scores.jsonl');
      const result = await runLimited(8, ['score', '--csv', csv, '--models', models, '--out', out]);
      expect(result.code).toBe(1);
      expect(errorLines(result, 'score')).toMatch(full(out));
      expect(readdirSync(work)).toEqual(['models']);
    }, 120_000);

    const root = process.getuid?.() === 0;
    const mount = tempDir('tmpfs');
    let mounted = false;

    (root ? it : it.skip)(
      'on a full tmpfs (root): train fails with ENOSPC in one line, the old artifact intact',
      async () => {
        // Room for the artifact and a half: a second one cannot be written beside the first.
        const size = Math.ceil((duBytes(models) * 1.5) / 4096) * 4096;
        const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mount.path], {
          encoding: 'utf8',
        });
        if (result.status !== 0) {
          console.warn(`skipping the tmpfs case: mount failed (${result.stderr.trim()}); the ulimit cases ran`);
          return;
        }
        mounted = true;
        const target = join(mount.path, 'models');
        cpSync(models, target, { recursive: true });
        const before = await hashes(target);
        const run = await runCli(train(4, target));
        expect(run.code).toBe(1);
        expect(errorLines(run, 'train')).toMatch(full(target));
        expect(await hashes(target)).toBe(before);
        expect(readdirSync(mount.path)).toEqual(['models']);
      },
      120_000
    );

    afterAll(() => {
      if (mounted) {
        spawnSync('umount', [mount.path]);
      }
      mount.remove();
    });
  });
});

function duBytes(path: string): number {
  return Number(spawnSync('du', ['-sb', path], { encoding: 'utf8' }).stdout.split('\t')[0]);
}

describeWith(['strace'], 'the artifact and the score file on a power loss', () => {
  const dir = tempDir('artifact-fsync');
  afterAll(() => dir.remove());
  const root = realpathSync(dir.path);
  const csv = join(root, 'nominal.csv');
  const models = join(root, 'models');
  beforeAll(() => writeFileSync(csv, formatWideCsv(synthetic({ steps: 120, seed: 5 }))));

  /** The flushes and renames of `syrroca <args>`, in order, each with the paths strace resolved (-y). */
  async function traceWrites(name: string, args: string[]): Promise<string[]> {
    const trace = join(root, `${name}.strace`);
    const syscalls = 'trace=fsync,fdatasync,rename,renameat,renameat2';
    const result = await collect(
      spawn(
        'strace',
        ['-f', '-y', '-qq', '-e', syscalls, '-o', trace, process.execPath, join(ROOT, 'bin', 'syrroca.js'), ...args],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        }
      )
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    return readFileSync(trace, 'utf8')
      .split('\n')
      .map((line) => line.replace(/^\d+\s+/, ''));
  }
  const flushOf = (lines: string[], path: string) =>
    lines.findIndex((l) => /^f(data)?sync\(\d+</.test(l) && l.includes(`<${path}>`));
  const renameOnto = (lines: string[], to: string) =>
    lines.findIndex((l) => /^rename(at2?)?\(/.test(l) && l.includes(`"${to}"`) && / = 0$/.test(l));

  it('train flushes every file and directory of the new artifact before renaming it into place, and the parent after', async () => {
    const lines = await traceWrites('train', [
      'train',
      '--csv',
      csv,
      '--out',
      models,
      '--window',
      '5',
      '--epochs',
      '1',
      '--groups',
      'single',
    ]);
    const publish = renameOnto(lines, models);
    expect(publish).toBeGreaterThan(-1);
    const tmp = /"([^"]*\/\.models\.tmp-[^"]*)"/.exec(lines[publish])![1];
    for (const path of ['all/model.json', 'all/weights.bin', 'all/manifest.json', 'all', 'models.json']
      .map((p) => join(tmp, p))
      .concat(tmp)) {
      const flushed = flushOf(lines, path);
      expect({ path, flushed: flushed > -1 && flushed < publish }).toEqual({ path, flushed: true });
    }
    expect(flushOf(lines.slice(publish + 1), root)).toBeGreaterThan(-1);
  }, 120_000);

  it('score flushes the JSONL before renaming it into place, and its directory after', async () => {
    const out = join(root, 'scores.jsonl');
    const lines = await traceWrites('score', ['score', '--csv', csv, '--models', models, '--out', out]);
    const publish = renameOnto(lines, out);
    expect(publish).toBeGreaterThan(-1);
    const tmp = /"([^"]*\/\.scores\.jsonl\.tmp-[^"]*)"/.exec(lines[publish])![1];
    const flushed = flushOf(lines, tmp);
    expect(flushed).toBeGreaterThan(-1);
    expect(flushed).toBeLessThan(publish);
    expect(flushOf(lines.slice(publish + 1), root)).toBeGreaterThan(-1);
  }, 60_000);
});
