/**
 * Test page that loads the *built* data source as Grafana does: its AMD `module.js` by URL, with
 * Grafana's shared modules handed to its `define` and `module.uri` set to where it was loaded from.
 * `window.syrrocaLoadBackend` then asks the data source for tfjs, which webpack loads as a lazy chunk.
 */
import './grafana-boot';

import * as data from '@grafana/data';
import * as runtime from '@grafana/runtime';
import * as ui from '@grafana/ui';
import * as react from 'react';
import * as rxjs from 'rxjs';

declare global {
  interface Window {
    define?: ((deps: string[], factory: (...modules: unknown[]) => unknown) => void) & { amd?: boolean };
    syrrocaLoadBackend(
      moduleUrl: string,
      baseUrl: string,
      backend: string
    ): Promise<{ backend: string; fallbacks: string[]; workers?: number; workersProblem?: string }>;
  }
}

const SHARED: Record<string, unknown> = {
  '@grafana/data': data,
  '@grafana/runtime': runtime,
  '@grafana/ui': ui,
  react,
  rxjs,
};

/** Loads an AMD plugin module by URL and returns its exports. */
function loadPlugin(url: string): Promise<{ plugin: data.DataSourcePlugin<data.DataSourceApi> }> {
  return new Promise((resolve, reject) => {
    const define = (deps: string[], factory: (...modules: unknown[]) => unknown) => {
      const missing = deps.filter((d) => d !== 'module' && !(d in SHARED));
      if (missing.length > 0) {
        reject(new Error(`the plugin needs modules Grafana does not share: ${missing.join(', ')}`));
        return;
      }
      resolve(
        factory(
          ...deps.map((d) => (d === 'module' ? { uri: new URL(url, document.baseURI).href } : SHARED[d]))
        ) as never
      );
    };
    window.define = Object.assign(define, { amd: true });
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`cannot load ${url}`));
    document.head.appendChild(script);
  });
}

window.syrrocaLoadBackend = async (moduleUrl, baseUrl, choice) => {
  const { plugin } = await loadPlugin(moduleUrl);
  const settings = {
    uid: 'syrroca',
    name: 'Syrroca',
    type: 'syrroca-radiography-datasource',
    meta: { baseUrl },
    jsonData: { backend: choice },
  };
  const datasource = new plugin.DataSourceClass(settings as never) as unknown as {
    tfRuntime(): Promise<{ backend: string; fallbacks: string[]; workers?: number; workersProblem?: string }>;
  };
  const { backend, fallbacks, workers, workersProblem } = await datasource.tfRuntime();
  return { backend, fallbacks, workers, workersProblem };
};
