import { Option } from 'commander';

import type { FastModelFactory } from '../core/model';
import { loadNodeFastModel } from './kernels';

/** Which implementation runs the autoencoders: the fast WebAssembly SIMD kernels, or tfjs (the reference). */
export type Engine = 'fast' | 'tfjs';

export const engineOption = () =>
  new Option('--engine <engine>', 'fast: WebAssembly SIMD kernels on worker threads; tfjs: the reference implementation')
    .choices(['fast', 'tfjs'])
    .default('fast');

/** The fast-model factory for the pipeline, or undefined for tfjs. */
export function fastFactory(engine: Engine): FastModelFactory | undefined {
  return engine === 'fast' ? (weights, options) => loadNodeFastModel(weights, options) : undefined;
}
