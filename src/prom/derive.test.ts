import { featureQuerySet } from './derive';
import { expandQuerySet, parseQuerySet } from './querySet';

describe('featureQuerySet', () => {
  it('asks for each metric once, with equal labels as matchers and differing labels as alternatives', () => {
    const querySet = featureQuerySet(
      {
        cpu: [
          'container_cpu_usage_seconds_total{container="bono",namespace="vims",pod="bono-0"}',
          'container_cpu_usage_seconds_total{container="sprout",namespace="vims",pod="sprout-0"}',
          'node_load1{instance="server-1"}',
        ],
        memory: ['container_memory_rss{container="bono",namespace="vims",pod="bono-0"}'],
      },
      '30s'
    );
    expect(querySet).toEqual({
      version: 1,
      step: '30s',
      groups: {
        cpu: [
          'max by (__name__, container, namespace, pod) ' +
            '(container_cpu_usage_seconds_total{container=~"bono|sprout", namespace="vims", pod=~"bono-0|sprout-0"})',
          'max by (__name__, instance) (node_load1{instance="server-1"})',
        ],
        memory: [
          'max by (__name__, container, namespace, pod) (container_memory_rss{container="bono", namespace="vims", pod="bono-0"})',
        ],
      },
    });
  });

  it('matches the absence of a label some features lack, and selects a bare metric by name', () => {
    const querySet = featureQuerySet({ all: ['m{mode="idle"}', 'm', 'up'] });
    expect(querySet.groups.all).toEqual(['max by (__name__, mode) (m{mode=~"|idle"})', 'max by (__name__) (up)']);
  });

  it('matches a name that is not a plain metric name as a string, so a feature name cannot inject PromQL', () => {
    const { groups } = featureQuerySet({ g: ['sum(up) or vector(1)', 'x`y{pod="a"}'] });
    expect(expandQuerySet({ version: 1, groups }, {}).groups.g).toEqual([
      'max by (__name__) ({__name__="sum(up) or vector(1)"})',
      'max by (__name__, pod) ({__name__="x`y", pod="a"})',
    ]);
  });

  it('puts a metric split over groups in the group of its first feature, so no two queries overlap', () => {
    const querySet = featureQuerySet({ a: ['m{pod="x"}'], b: ['m{pod="y"}', 'n'] });
    expect(querySet.groups).toEqual({ a: ['max by (__name__, pod) (m{pod=~"x|y"})'], b: ['max by (__name__) (n)'] });
  });

  it('escapes quotes, backslashes, newlines, regex metacharacters and dollars so every value matches itself', () => {
    const querySet = featureQuerySet({
      g: ['m{path="C:\\\\tmp\\"x\\"",v="$1.0"}', 'm{path="a\\nb",v="(x)"}'],
    });
    const parsed = parseQuerySet(querySet, 'derived');
    const [query] = expandQuerySet(parsed, {}).groups.g;
    // After the query set's own `$$` -> `$`, PromQL strings holding the regexes C:\\tmp"x"|a<newline>b and \$1\.0|\(x\).
    expect(query).toBe(
      'max by (__name__, path, v) (m{path=~"C:\\\\\\\\tmp\\"x\\"|a\\nb", v=~"\\\\$1\\\\.0|\\\\(x\\\\)"})'
    );
  });
});
