import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// Extends create-plugin's config (kept as generated) with what the plugin ships beside its code:
// the tfjs wasm binaries (found at run time with setWasmPaths), the bundled demo models, and the
// Web Worker script of the SIMD kernels.
const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    // The kernels' worker script, at the app's root beside the wasm folder (the data source finds it
    // like the binaries: src/datasource/assets.ts). A worker script is a classic script, not an AMD
    // module: the plugin's `define` wrapper would never run there, so this entry assigns a global.
    entry: {
      'kernels.worker': {
        import: path.resolve(__dirname, 'src/datasource/kernels.worker.ts'),
        library: { type: 'var', name: 'syrrocaKernelsWorker' },
      },
    },
    // The wasm binaries are loaded only when a query runs; size hints are for the entry scripts.
    // csv-parse's default build needs Node's Buffer; its browser build parses the same strings.
    resolve: { alias: { 'csv-parse/sync$': 'csv-parse/browser/esm/sync' } },
    performance: { assetFilter: (file: string) => !file.endsWith('.wasm') && !file.endsWith('.map') },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          {
            from: path.resolve(__dirname, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm'),
            to: 'wasm/[name][ext]',
          },
          // Logos of the nested data source and panel (create-plugin copies only the app's own).
          { from: '*/img/*', to: '.', noErrorOnMissing: true },
          { from: path.resolve(__dirname, 'models/demo'), to: 'models/demo', noErrorOnMissing: true },
        ],
      }),
    ],
  });
};

export default config;
