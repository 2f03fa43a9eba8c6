import { appRoot, bundledModelsUrl, dataProxyUrl, kernelsWorkerUrl, modelsRouteUrl, wasmPath } from './assets';

describe('appRoot', () => {
  it('maps the data source served under its own id (Grafana 12) to the app', () => {
    expect(appRoot('public/plugins/syrroca-radiography-datasource')).toBe('public/plugins/syrroca-radiography-app/');
    expect(appRoot('/grafana/public/plugins/syrroca-radiography-datasource/')).toBe(
      '/grafana/public/plugins/syrroca-radiography-app/'
    );
  });

  it('maps the data source served inside the app folder (older Grafana, plugin CDN) to the app folder', () => {
    expect(appRoot('public/plugins/syrroca-radiography-app/datasource')).toBe(
      'public/plugins/syrroca-radiography-app/'
    );
    expect(
      appRoot('https://cdn.example/syrroca-radiography-app/0.1.0/public/plugins/syrroca-radiography-app/datasource/')
    ).toBe('https://cdn.example/syrroca-radiography-app/0.1.0/public/plugins/syrroca-radiography-app/');
  });

  it('keeps a path that is already the app root', () => {
    expect(appRoot('public/plugins/syrroca-radiography-app/')).toBe('public/plugins/syrroca-radiography-app/');
  });
});

describe('asset URLs', () => {
  const root = 'public/plugins/syrroca-radiography-app/';

  it('finds the wasm binaries, the kernels worker script and the demo models under the app root', () => {
    expect(wasmPath(root)).toBe('public/plugins/syrroca-radiography-app/wasm/');
    expect(kernelsWorkerUrl(root)).toBe('public/plugins/syrroca-radiography-app/kernels.worker.js');
    expect(bundledModelsUrl(root)).toBe('public/plugins/syrroca-radiography-app/models/demo/');
  });

  it('reads models and Prometheus through Grafana, with the uid escaped', () => {
    expect(modelsRouteUrl('a b')).toBe('api/datasources/proxy/uid/a%20b/models/');
    expect(dataProxyUrl('prom-1')).toBe('api/datasources/proxy/uid/prom-1');
  });
});
