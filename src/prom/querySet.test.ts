import { InputError } from '../core/errors';
import { assignGroups, DEFAULT_CATALOG } from '../core/groups';
import {
  DEFAULT_QUERY_SET,
  expandQuerySet,
  fetchQuerySet,
  parseDuration,
  parseQuerySet,
  querySetCatalog,
} from './querySet';
import type { PrometheusClient, PromSeries, QuerySet, TimeRange } from './types';

const SOURCE = 'queries.json';

function parseError(json: unknown): InputError {
  try {
    parseQuerySet(json, SOURCE);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseQuerySet', () => {
  it('reads version, step, variables and groups from JSON text', () => {
    const text = JSON.stringify({
      version: 1,
      step: '1m30s',
      variables: { instance: '.+' },
      groups: {
        cpu: ['container_cpu_usage_seconds_total{namespace="$namespace"}'],
        memory: ['node_memory_MemFree_bytes'],
      },
    });
    expect(parseQuerySet(text, SOURCE)).toEqual({
      version: 1,
      step: '1m30s',
      variables: { instance: '.+' },
      groups: {
        cpu: ['container_cpu_usage_seconds_total{namespace="$namespace"}'],
        memory: ['node_memory_MemFree_bytes'],
      },
    });
  });

  it('gives the line and column of a JSON syntax error', () => {
    const err = parseError('{\n  "version": 1,\n  "groups": {,}\n}');
    expect(err.location).toEqual({ source: SOURCE, line: 3, column: 14 });
    expect(err.message).toMatch(/^queries\.json:3:14: not valid JSON/);
  });

  it.each([
    [
      { version: 1, group: {} },
      'queries.json: group: unknown key; a query set has version, step, variables and groups',
    ],
    [{ version: 2, groups: { cpu: ['x'] } }, 'queries.json: version: expected 1, got 2'],
    [
      { version: 1, step: '30', groups: { cpu: ['x'] } },
      'queries.json: step: expected a positive Prometheus duration such as "30s" or "1m", got "30"',
    ],
    [
      { version: 1, groups: {} },
      'queries.json: groups: expected a non-empty object of group name -> list of PromQL queries',
    ],
    [{ version: 1, groups: { cpu: 'x' } }, 'queries.json: groups.cpu: expected a non-empty list of PromQL queries'],
    [
      { version: 1, groups: { 'c pu': ['x'] } },
      'queries.json: groups.c pu: a group name is letters, digits, _ and -, not starting with a digit or -',
    ],
    [{ version: 1, groups: { cpu: ['x', 3] } }, 'queries.json: groups.cpu[1]: expected a PromQL query string, got 3'],
    [
      { version: 1, groups: { cpu: ['x{a="b}'] } },
      'queries.json: groups.cpu[0]: string opened at character 5 is not closed',
    ],
    [
      { version: 1, groups: { cpu: ['x'], memory: ['y', 'x'] } },
      'queries.json: groups.memory[1]: the same query as groups.cpu[0]; each query belongs to one group',
    ],
    [
      { version: 1, variables: { ns: 1 }, groups: { cpu: ['x'] } },
      'queries.json: variables.ns: expected a string, got 1',
    ],
    [[], 'queries.json: (top level): expected an object {"version": 1, "groups": {...}}'],
  ])('names the bad key of %j', (json, message) => {
    expect(parseError(json).message).toBe(message);
  });
});

describe('parseDuration', () => {
  it('reads Prometheus durations in seconds and nothing else', () => {
    expect([parseDuration('30s'), parseDuration('1h30m'), parseDuration('500ms'), parseDuration('1w')]).toEqual([
      30, 5400, 0.5, 604800,
    ]);
    expect([parseDuration(''), parseDuration('30'), parseDuration('1m1h'), parseDuration('1.5m')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('DEFAULT_QUERY_SET', () => {
  it('is a valid query set in the four groups of the paper, at 30 s', () => {
    expect(parseQuerySet(JSON.parse(JSON.stringify(DEFAULT_QUERY_SET)), 'default')).toEqual(DEFAULT_QUERY_SET);
    expect(Object.keys(DEFAULT_QUERY_SET.groups)).toEqual(['cpu', 'memory', 'network', 'filesystem']);
    expect(DEFAULT_QUERY_SET.step).toBe('30s');
  });

  it('puts each metric in the group the default catalog of the core gives it', () => {
    for (const [group, queries] of Object.entries(DEFAULT_QUERY_SET.groups)) {
      const metrics = queries.map((q) => /\(([A-Za-z_:][A-Za-z0-9_:]*)\{/.exec(q)![1]);
      const groups = assignGroups(metrics, DEFAULT_CATALOG);
      expect({ group, metrics: metrics.filter((_, i) => !groups.get(group)?.includes(i)) }).toEqual({
        group,
        metrics: [],
      });
    }
  });

  it('scopes every cAdvisor query to the namespace and every node-exporter query to the instances', () => {
    const expanded = expandQuerySet(DEFAULT_QUERY_SET, { namespace: 'ims' });
    const queries = Object.values(expanded.groups).flat();
    expect(queries.filter((q) => q.includes('(container_')).every((q) => q.includes('namespace="ims"'))).toBe(true);
    expect(queries.filter((q) => q.includes('(node_')).every((q) => q.includes('instance=~".+"'))).toBe(true);
    expect(queries.every((q) => q.includes('by (__name__,'))).toBe(true);
    expect(expanded.groups.cpu[0]).toBe(
      'max by (__name__, namespace, pod, container) (container_cpu_usage_seconds_total{namespace="ims", container!="", container!="POD"})'
    );
  });
});

describe('expandQuerySet', () => {
  const qs: QuerySet = {
    version: 1,
    step: '30s',
    variables: { instance: '.+' },
    groups: { cpu: ['a{namespace="$namespace"}', 'b{instance=~"${instance:raw}"}'] },
  };

  it('uses the set defaults unless the caller gives a value', () => {
    expect(expandQuerySet(qs, { namespace: 'ims' }).groups.cpu).toEqual(['a{namespace="ims"}', 'b{instance=~".+"}']);
    expect(expandQuerySet(qs, { namespace: 'ims', instance: 'n1|n2' })).toEqual({
      version: 1,
      step: '30s',
      groups: { cpu: ['a{namespace="ims"}', 'b{instance=~"n1|n2"}'] },
    });
  });

  it('says which query of which group lacks a value', () => {
    expect(() => expandQuerySet(qs, {})).toThrow(
      'query 1 of group cpu (`a{namespace="$namespace"}`): variable namespace has no value'
    );
  });

  it('refuses an empty value, which would select the series without the label', () => {
    expect(() => expandQuerySet(qs, { namespace: '' })).toThrow(/variable namespace is empty/);
  });
});

describe('fetchQuerySet', () => {
  const range = { start: 0, end: 60, step: 30 };
  const point = (metric: Record<string, string>, values: number[]): PromSeries => ({
    metric,
    timestamps: Float64Array.from(values, (_, i) => i * 30),
    values: Float64Array.from(values),
  });

  /** A client answering each query from a table. */
  function fakeClient(answers: Record<string, PromSeries[] | Error>) {
    const asked: Array<{ query: string; range: TimeRange }> = [];
    const client: PrometheusClient = {
      url: 'http://fake',
      async queryRange(query, r) {
        asked.push({ query, range: r });
        const answer = answers[query];
        if (answer instanceof Error) {
          throw answer;
        }
        return answer ?? [];
      },
      labelValues: async () => [],
      buildInfo: async () => ({ version: 'fake' }),
    };
    return { client, asked };
  }

  const qs: QuerySet = {
    version: 1,
    step: '30s',
    groups: {
      memory: ['mem{namespace="$namespace"}'],
      cpu: ['cpu_total{namespace="$namespace"}', 'absent{namespace="$namespace"}'],
    },
  };

  it('gives one matrix in group and query order, with the group and query of each feature and the empty queries', async () => {
    const { client, asked } = fakeClient({
      'mem{namespace="ims"}': [
        point({ __name__: 'mem', pod: 'b' }, [1, 2, 3]),
        point({ __name__: 'mem', pod: 'a' }, [4, 5]),
      ],
      'cpu_total{namespace="ims"}': [point({ __name__: 'cpu_total', pod: 'a' }, [7])],
    });
    const progress: Array<[number, number]> = [];
    const data = await fetchQuerySet(
      client,
      qs,
      { start: 0, end: 60 },
      { namespace: 'ims' },
      { onProgress: (d, t) => progress.push([d, t]) }
    );
    expect(asked.map((a) => a.range)).toEqual([range, range, range]);
    expect(data.matrix.features).toEqual(['mem{pod="b"}', 'mem{pod="a"}', 'cpu_total{pod="a"}']);
    expect(data.groups).toEqual(['memory', 'memory', 'cpu']);
    expect(data.queries).toEqual(['mem{namespace="ims"}', 'mem{namespace="ims"}', 'cpu_total{namespace="ims"}']);
    expect(data.matrix.columns.map((c) => Array.from(c))).toEqual([
      [1, 2, 3],
      [4, 5, NaN],
      [7, NaN, NaN],
    ]);
    expect(data.empty).toEqual([{ group: 'cpu', query: 'absent{namespace="ims"}' }]);
    expect(progress[0]).toEqual([0, 3]);
    expect(progress[progress.length - 1]).toEqual([3, 3]);
  });

  it('refuses a series that two queries select, naming both', async () => {
    const same = [point({ __name__: 'mem' }, [1])];
    const { client } = fakeClient({ 'mem{namespace="ims"}': same, 'absent{namespace="ims"}': same });
    await expect(fetchQuerySet(client, qs, range, { namespace: 'ims' })).rejects.toThrow(
      'series mem comes from two queries: `mem{namespace="ims"}` (group memory) and `absent{namespace="ims"}` (group cpu); make the queries select disjoint series'
    );
  });

  it('passes the first failure on', async () => {
    const { client } = fakeClient({ 'cpu_total{namespace="ims"}': new Error('bad query') });
    await expect(fetchQuerySet(client, qs, range, { namespace: 'ims' })).rejects.toThrow('bad query');
  });

  it('needs a step from the range or the set', async () => {
    const { client } = fakeClient({});
    await expect(
      fetchQuerySet(client, { ...qs, step: undefined }, { start: 0, end: 60 }, { namespace: 'ims' })
    ).rejects.toThrow('no step: give the range a step or the query set a "step" (e.g. "30s")');
  });
});

describe('querySetCatalog', () => {
  const features = ['a_total{pod="x"}', 'a_total{pod="y"}', 's{k="1"}', 'm{pod="x"}', 's{k="2"}'];
  const data = {
    matrix: { timestamps: new Float64Array(0), features, columns: features.map(() => new Float64Array(0)) },
    groups: ['cpu', 'cpu', 'cpu', 'memory', 'memory'],
  };

  it('files a metric by name when one group holds all its series, and by exact series name when it is split', () => {
    expect(querySetCatalog(data)).toEqual({
      rules: [
        { group: 'cpu', patterns: ['^a_total(?:\\{|$)', '^s\\{k="1"\\}$'] },
        { group: 'memory', patterns: ['^m(?:\\{|$)', '^s\\{k="2"\\}$'] },
      ],
      fallback: null,
    });
  });

  it('groups the fetched features as the query set did, a new series of a known metric with them, and nothing else', () => {
    const groups = assignGroups([...features, 'a_total{pod="z"}', 's{k="3"}', 'a_total_2'], querySetCatalog(data));
    expect(Object.fromEntries(groups)).toEqual({ cpu: [0, 1, 2, 5], memory: [3, 4] });
  });
});
