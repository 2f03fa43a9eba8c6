/**
 * PyTorch on the CPU as the peer of the autoencoder figures, measured in the same run by
 * ../shared/bench/peer-torch (beside the repository's clone; see its README). Absent PyTorch is
 * reported, never guessed.
 */
import { execFile } from 'child_process';
import { existsSync } from 'fs';
import { resolve } from 'path';

import type { BenchResult } from './measure';

export const PEER = resolve(__dirname, '..', '..', 'shared', 'bench', 'peer-torch');

interface PeerResult {
  model: string;
  mode: 'infer' | 'train';
  samples_per_s: number;
  blocks_samples_per_s: { n: number; min: number; median: number; max: number };
  load?: { foreign_cpus?: number };
}

export interface PeerOutcome {
  results: BenchResult[];
  /** Why there are no PyTorch figures, or what the peer warned about. */
  note: string;
  info?: Record<string, unknown>;
}

export function runTorchPeer(models: string[], seconds: number, peer = PEER): Promise<PeerOutcome> {
  if (!existsSync(peer)) {
    return Promise.resolve({
      results: [],
      note: `no PyTorch peer: ${peer} is missing (shared/ must sit beside the clone)`,
    });
  }
  const model = models.length === 1 ? models[0] : 'all';
  const args = ['--json', '--no-ceiling', '--model', model, '--seconds', String(seconds)];
  return new Promise((done) => {
    execFile(peer, args, { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error) {
        const why = stderr.trim().split('\n').pop() || error.message;
        done({ results: [], note: `no PyTorch figures: ${why}` });
        return;
      }
      const info = JSON.parse(stdout) as {
        torch_version: string;
        threads: number;
        results: PeerResult[];
        warnings: string[];
        blas: { kind: string };
      };
      const results = info.results
        .filter((r) => models.includes(r.model))
        .map((r) => {
          const foreign = r.load?.foreign_cpus;
          return {
            name: `${r.model}-${r.mode}`,
            impl: 'pytorch',
            unit: 'samples/s',
            stats: {
              median: r.blocks_samples_per_s.median,
              min: r.blocks_samples_per_s.min,
              max: r.blocks_samples_per_s.max,
            },
            note: `torch ${info.torch_version}, ${info.threads} threads, BLAS ${info.blas.kind}, min/median/max of 0.5 s blocks`,
            foreignCpus: foreign ?? null,
          };
        });
      done({
        results,
        note: info.warnings.join(' '),
        info: { torch_version: info.torch_version, threads: info.threads, blas: info.blas },
      });
    });
  });
}
