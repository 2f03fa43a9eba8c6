/**
 * docker-compose.yaml as data (Docker is not on these machines): it parses, pins every image by a
 * version tag, mounts only paths that exist (the plugin from the build output), runs only files that
 * exist, allows exactly the plugin's own ids unsigned, and wires the services that the Prometheus
 * config and the provisioned data sources name.
 */
import { existsSync, readFileSync } from 'fs';
import { join, posix } from 'path';
import { parse } from 'yaml';

import { DIST_DIR } from '../.config/bundler/constants';
import { ROOT } from './helpers/cli';
import { PLUGIN_IDS, provisionedDataSources, readJson, readYaml } from './helpers/provisioning';

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  working_dir?: string;
  volumes?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose: Compose = parse(readFileSync(join(ROOT, 'docker-compose.yaml'), 'utf8'), { merge: true });
const services = Object.entries(compose.services);

/** `${VAR:-default}` as Compose reads it when VAR is unset. */
const withDefaults = (text: string) => text.replace(/\$\{\w+:-([^}]*)\}/g, '$1');

interface Mount {
  source: string;
  target: string;
  bind: boolean;
}

function mounts(service: Service): Mount[] {
  return (service.volumes ?? []).map((spec) => {
    const [source, target] = spec.split(':');
    return { source, target, bind: source.startsWith('.') || source.startsWith('/') };
  });
}

/** Where a container path comes from on the host: through the service's bind mount with the longest matching target. */
function hostPath(service: Service, containerPath: string): string | undefined {
  const mount = mounts(service)
    .filter((m) => containerPath === m.target || containerPath.startsWith(`${m.target}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!mount?.bind) {
    return undefined;
  }
  return join(ROOT, mount.source, posix.relative(mount.target, containerPath));
}

const words = (command: string | string[]) => (Array.isArray(command) ? command : command.split(/\s+/));

/** The service's command line, and the words of the script it runs with `sh <script>`. */
function args(service: Service): string[] {
  const line = [...words(service.entrypoint ?? []), ...words(service.command ?? [])];
  const script = line[0] === 'sh' && line[1] ? hostPath(service, line[1]) : undefined;
  const text = script && existsSync(script) ? readFileSync(script, 'utf8').replace(/^\s*#.*$/gm, '') : '';
  return [...line, ...text.split(/[\s"'()$]+/).filter(Boolean)];
}

/** Paths a service's command names: absolute, or relative to its working directory, flags' values included. */
function pathsIn(service: Service): string[] {
  return args(service)
    .map((a) => a.replace(/^--[\w.-]+=/, ''))
    .filter((a) => !a.includes('://') && (a.startsWith('/') || /^[\w.-]+\/[\w./-]+\.\w+$/.test(a)))
    .map((a) => (a.startsWith('/') ? a : posix.join(service.working_dir ?? '/', a)));
}

/** The port a service listens on inside the network: its `--listen host:port`, or its image's default. */
function listenPort(service: Service): number | undefined {
  const list = args(service);
  const i = list.indexOf('--listen');
  if (i >= 0) {
    return Number(list[i + 1].split(':').pop());
  }
  const image = withDefaults(service.image ?? '');
  const defaults: Array<[RegExp, number]> = [
    [/^prom\/prometheus:/, 9090],
    [/^prom\/alertmanager:/, 9093],
    [/^grafana\/grafana:/, 3000],
  ];
  return defaults.find(([re]) => re.test(image))?.[1];
}

const grafana = compose.services.grafana;

describe('docker-compose.yaml', () => {
  it('runs every service from an image pinned by version tag', () => {
    for (const [name, service] of services) {
      expect(service.build).toBeUndefined();
      const image = withDefaults(service.image ?? '');
      // name:tag, the tag a version (not latest, not a bare major).
      expect({ name, image, pinned: /^[\w./-]+:v?\d+\.\d+\.\d+([-.][\w.-]+)?$/.test(image) }).toEqual({
        name,
        image,
        pinned: true,
      });
    }
  });

  it('mounts only host paths that exist, and the plugin from the build output', () => {
    for (const [name, service] of services) {
      for (const m of mounts(service).filter((m) => m.bind)) {
        if (m.source === `./${DIST_DIR}`) {
          // Built by `npm run build`; Grafana loads it as the app plugin.
          expect(m.target).toBe(`/var/lib/grafana/plugins/${PLUGIN_IDS.app}`);
          if (existsSync(join(ROOT, DIST_DIR, 'plugin.json'))) {
            expect(readJson<{ id: string }>(`${DIST_DIR}/plugin.json`).id).toBe(PLUGIN_IDS.app);
          }
        } else {
          expect({ name, source: m.source, exists: existsSync(join(ROOT, m.source)) }).toEqual({
            name,
            source: m.source,
            exists: true,
          });
        }
      }
    }
  });

  it('declares every named volume it mounts', () => {
    const named = services.flatMap(([, s]) =>
      mounts(s)
        .filter((m) => !m.bind)
        .map((m) => m.source)
    );
    expect(named.filter((v) => !(v in (compose.volumes ?? {})))).toEqual([]);
  });

  it('runs only scripts and files that exist in the mounted repository', () => {
    const missing: string[] = [];
    for (const [name, service] of services) {
      for (const path of pathsIn(service)) {
        const host = hostPath(service, path);
        if (host !== undefined && !existsSync(host)) {
          missing.push(`${name}: ${path}`);
        }
      }
    }
    expect(missing).toEqual([]);
    // The node services run the CLI and the scripts from the repository itself.
    expect(services.flatMap(([, s]) => pathsIn(s).map((p) => hostPath(s, p))).filter(Boolean).length).toBeGreaterThan(
      4
    );
  });

  it('starts services only after services that exist', () => {
    for (const [, service] of services) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect(Object.keys(compose.services)).toContain(dependency);
      }
    }
  });

  it('publishes ports on the loopback interface only', () => {
    for (const [, service] of services) {
      for (const port of service.ports ?? []) {
        expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      }
    }
  });

  it("lets Grafana load exactly the plugin's own unsigned ids, not every unsigned plugin", () => {
    const allowed = grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS?.split(',').sort();
    expect(allowed).toEqual(Object.values(PLUGIN_IDS).sort());
    // Development mode would load any unsigned plugin.
    expect(grafana.environment?.GF_DEFAULT_APP_MODE).toBeUndefined();
    expect(withDefaults(grafana.image ?? '')).toMatch(/^grafana\/grafana:12\.4\.\d+$/);
  });

  it('gives Grafana the provisioning folder, whose dashboards provider reads the dashboards', () => {
    expect(hostPath(grafana, '/etc/grafana/provisioning')).toBe(join(ROOT, 'provisioning'));
    const provider = readYaml<{ providers: Array<{ options: { path: string } }> }>(
      'provisioning/dashboards/dashboards.yaml'
    ).providers[0];
    expect(hostPath(grafana, provider.options.path)).toBe(join(ROOT, 'provisioning/dashboards'));
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(existsSync(hostPath(grafana, home ?? '') ?? '')).toBe(true);
  });

  it('runs what the Prometheus config scrapes and alerts to, on the ports it names', () => {
    const config = readYaml<{
      scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
      rule_files: string[];
    }>('prometheus/prometheus.yml');
    const targets = [
      ...config.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets)),
      ...config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((s) => s.targets)),
    ];
    expect(targets.length).toBeGreaterThan(2);
    for (const target of targets) {
      const [host, port] = target.split(':');
      expect({ target, port: listenPort(compose.services[host] ?? {}) }).toEqual({ target, port: Number(port) });
    }
    const prometheus = compose.services.prometheus;
    for (const file of config.rule_files) {
      expect(existsSync(hostPath(prometheus, posix.join('/etc/prometheus', file)) ?? '')).toBe(true);
    }
  });

  it('runs the Prometheus and the models server that the provisioned data sources point at', () => {
    const urls = provisionedDataSources().flatMap((d) => [d.url, d.jsonData?.modelsUrl].filter(Boolean) as string[]);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) {
      const { hostname, port } = new URL(url);
      expect({ url, port: listenPort(compose.services[hostname] ?? {}) }).toEqual({ url, port: Number(port) });
    }
  });
});
