/**
 * Where the data source finds what the app plugin ships beside it. The data source is nested in the
 * app (`dist/datasource/`), but Grafana 12 serves a nested plugin under its own id
 * (`public/plugins/syrroca-radiography-datasource/` -> `dist/datasource/`) while older releases and
 * the plugin CDN serve it under the app (`.../syrroca-radiography-app/datasource/`). The lazy tfjs
 * chunk, the wasm binaries and the demo models sit at the app's root (`dist/`), so every asset URL
 * is derived from the app's root, found from either form.
 */
export const APP_ID = 'syrroca-radiography-app';
export const DATASOURCE_ID = 'syrroca-radiography-datasource';

/** The app's public root (ending in `/`) from the data source's base URL or webpack public path. */
export function appRoot(datasourceBase: string): string {
  const base = datasourceBase.endsWith('/') ? datasourceBase : `${datasourceBase}/`;
  const own = `${DATASOURCE_ID}/`;
  const at = base.length - own.length;
  if (base.endsWith(own) && (at === 0 || base[at - 1] === '/')) {
    return `${base.slice(0, at)}${APP_ID}/`;
  }
  return base.replace(/(^|\/)datasource\/$/, '$1');
}

/** Prefix for tfjs' `setWasmPaths`: the folder holding `tfjs-backend-wasm*.wasm`. */
export const wasmPath = (root: string) => `${root}wasm/`;

/** The script of the `simd` backend's Web Workers (a webpack entry of its own, see webpack.config.ts). */
export const kernelsWorkerUrl = (root: string) => `${root}kernels.worker.js`;

/** The demo models' folder (its `models.json` index and one folder per group). */
export const bundledModelsUrl = (root: string) => `${root}models/demo/`;

/** The plugin route (plugin.json `routes`, path `models`) that proxies the configured models URL. */
export const modelsRouteUrl = (datasourceUid: string) =>
  `api/datasources/proxy/uid/${encodeURIComponent(datasourceUid)}/models/`;

/** Grafana's data proxy of another data source (here: the Prometheus one). */
export const dataProxyUrl = (datasourceUid: string) => `api/datasources/proxy/uid/${encodeURIComponent(datasourceUid)}`;
