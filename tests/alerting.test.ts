/**
 * Alerting as code: the Prometheus config and rules pass promtool (including the rule unit
 * tests), Alertmanager's config passes amtool, and the Grafana-managed rules fire exactly like
 * the Prometheus rules: they are converted back to Prometheus rules and run through the same
 * promtool tests.
 */
import { execFileSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';

import { describeWith } from './helpers/binaries';
import { ROOT, tempDir } from './helpers/cli';

const prometheusDir = join(ROOT, 'prometheus');
const run = (cmd: string, args: string[], cwd = prometheusDir) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The names of the alert rules in prometheus/rules/syrroca.yml. */
const alertNames = (): string[] =>
  parse(readFileSync(join(prometheusDir, 'rules/syrroca.yml'), 'utf8'))
    .groups.flatMap((g: { rules: Array<{ alert?: string }> }) => g.rules)
    .map((r: { alert?: string }) => r.alert)
    .filter(Boolean);

describeWith(['promtool'], 'Prometheus rules and config', () => {
  it('the config and its rule file pass promtool check config', () => {
    expect(run('promtool', ['check', 'config', 'prometheus.yml'])).toContain('SUCCESS');
  });

  it('every alert passes its promtool unit test', () => {
    expect(run('promtool', ['test', 'rules', 'rules/syrroca.test.yml'])).toContain('SUCCESS');
  });

  it('has a unit test for each alert rule', () => {
    const alerts = alertNames();
    const tested = new Set(
      parse(readFileSync(join(prometheusDir, 'rules/syrroca.test.yml'), 'utf8')).tests.flatMap(
        (t: { alert_rule_test: Array<{ alertname: string }> }) => t.alert_rule_test.map((a) => a.alertname)
      )
    );
    expect(alerts.filter((a: string) => !tested.has(a))).toEqual([]);
  });
});

describeWith(['amtool'], 'Alertmanager config', () => {
  it('passes amtool check-config', () => {
    expect(run('amtool', ['check-config', 'alertmanager.yml'])).toContain('SUCCESS');
  });
});

interface GrafanaRule {
  title: string;
  for: string;
  labels: Record<string, string>;
  data: Array<{
    refId: string;
    datasourceUid: string;
    model: { expr?: string; conditions?: Array<{ evaluator: { type: string; params: number[] } }> };
  }>;
}

describeWith(['promtool'], 'Grafana-managed alert rules', () => {
  const provisioned = parse(readFileSync(join(ROOT, 'provisioning/alerting/syrroca.yaml'), 'utf8'));
  const grafanaRules: GrafanaRule[] = provisioned.groups.flatMap((g: { rules: GrafanaRule[] }) => g.rules);
  const datasources = parse(readFileSync(join(ROOT, 'provisioning/datasources/datasources.yaml'), 'utf8')).datasources;

  it('query only provisioned data sources or server-side expressions', () => {
    const uids = new Set(datasources.map((d: { uid: string }) => d.uid).concat('__expr__'));
    expect(grafanaRules.flatMap((r) => r.data.map((d) => d.datasourceUid)).filter((u) => !uids.has(u))).toEqual([]);
  });

  it('mirror every Prometheus alert rule, one each', () => {
    expect(grafanaRules.map((r) => r.title).sort()).toEqual(alertNames().sort());
  });

  it('fire as the Prometheus rules do, on the same promtool tests', () => {
    const dir = tempDir('grafana-rules');
    try {
      const prometheusRules = parse(readFileSync(join(prometheusDir, 'rules/syrroca.yml'), 'utf8'));
      const byName = new Map(
        prometheusRules.groups
          .flatMap((g: { rules: Array<{ alert?: string }> }) => g.rules)
          .map((r: { alert?: string }) => [r.alert, r])
      );
      const converted = grafanaRules.map((rule) => {
        const query = rule.data.find((d) => d.refId === 'A')!.model.expr!;
        const evaluator = rule.data.find((d) => d.refId === 'C')!.model.conditions![0].evaluator;
        expect(evaluator.type).toBe('gt');
        const twin = byName.get(rule.title) as { annotations: object } | undefined;
        expect(twin).toBeDefined();
        // Grafana's threshold expression keeps series whose value is above the parameter.
        return {
          alert: rule.title,
          expr: `(${query}) > ${evaluator.params[0]}`,
          for: rule.for,
          labels: rule.labels,
          annotations: twin!.annotations,
        };
      });
      const recordings = prometheusRules.groups.filter((g: { name: string }) => g.name === 'syrroca-kpi');
      writeFileSync(
        join(dir.path, 'syrroca.yml'),
        stringify({ groups: [...recordings, { name: 'syrroca', rules: converted }] })
      );
      writeFileSync(join(dir.path, 'syrroca.test.yml'), readFileSync(join(prometheusDir, 'rules/syrroca.test.yml')));
      expect(run('promtool', ['test', 'rules', 'syrroca.test.yml'], dir.path)).toContain('SUCCESS');
    } finally {
      dir.remove();
    }
  });
});
