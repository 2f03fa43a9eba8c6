import fc from 'fast-check';

import type { QuerySet } from '../prom/types';
import { interpolateKpi, resolveGroups, resolveQuerySetVars } from './variables';
import { fakeTemplateSrv } from './testing/fixtures';

const querySet: QuerySet = {
  version: 1,
  variables: { instance: '.+' },
  groups: {
    cpu: ['x_total{namespace="$namespace", instance=~"${instance:raw}"}'],
    memory: ['y{namespace="$namespace", pod=~"$pod"}'],
  },
};

describe('resolveGroups', () => {
  it('expands a multi-value $group into its groups, once each', () => {
    const srv = fakeTemplateSrv({ group: ['cpu', 'network'] });
    expect(resolveGroups(srv, ['$group', 'cpu', 'memory'])).toEqual(['cpu', 'network', 'memory']);
  });

  it('takes the repeated panel value from the scoped variables', () => {
    const srv = fakeTemplateSrv({ group: ['cpu', 'network'] });
    expect(resolveGroups(srv, ['$group'], { group: { text: 'network', value: 'network' } })).toEqual(['network']);
  });

  it('reads no groups as all groups', () => {
    expect(resolveGroups(fakeTemplateSrv({}), undefined)).toEqual([]);
  });
});

describe('resolveQuerySetVars', () => {
  it("prefers the dashboard's variable, then the data source's default, then the query set's", () => {
    expect(
      resolveQuerySetVars(fakeTemplateSrv({ namespace: 'ims' }), querySet, ['namespace', 'instance'], {
        namespace: 'vims',
      })
    ).toEqual({
      namespace: 'ims',
    });
    expect(
      resolveQuerySetVars(fakeTemplateSrv({}), querySet, ['namespace', 'instance'], { namespace: 'vims' })
    ).toEqual({
      namespace: 'vims',
    });
  });

  it('turns several values into a regex alternation only where the query set matches them as a raw regex', () => {
    const srv = fakeTemplateSrv({ namespace: 'vims', instance: ['node-1', 'node.2'] });
    expect(resolveQuerySetVars(srv, querySet, ['namespace', 'instance'], {})).toEqual({
      namespace: 'vims',
      instance: 'node-1|node\\.2',
    });
    expect(() => resolveQuerySetVars(fakeTemplateSrv({ namespace: ['a', 'b'] }), querySet, ['namespace'], {})).toThrow(
      'the dashboard variable $namespace has 2 values (a, b) but the models read one namespace at a time'
    );
  });

  it('says how to give the namespace a value when nothing does', () => {
    expect(() => resolveQuerySetVars(fakeTemplateSrv({}), querySet, ['namespace', 'pod'], {})).toThrow(
      'the queries that read the features use $namespace, $pod without a value: add a dashboard variable named namespace ' +
        '(a query variable of this data source listing namespaces), or set the namespace in the data source settings'
    );
  });
});

describe('interpolateKpi', () => {
  it('replaces dashboard variables, several values as an escaped alternation', () => {
    const srv = fakeTemplateSrv({ namespace: 'vims', pod: ['bono-0', 'sprout.1'] });
    // PromQL reads `\\.` in a double-quoted string as `\.`, the regex of a literal dot.
    expect(interpolateKpi(srv, 'sum(failed{namespace="$namespace", pod=~"$pod"})')).toBe(
      'sum(failed{namespace="vims", pod=~"(bono-0|sprout\\\\.1)"})'
    );
  });

  it('keeps a hostile value inside its label value, so it cannot add a selector', () => {
    const srv = fakeTemplateSrv({ namespace: 'vims"} or up{x="', pod: "a'b" });
    expect(interpolateKpi(srv, 'sum(failed{namespace="$namespace"}) + sum(failed{pod=\'$pod\'})')).toBe(
      'sum(failed{namespace="vims\\"} or up{x=\\""}) + sum(failed{pod=\'a\\\'b\'})'
    );
  });

  it('refuses a value that is not a number or duration outside a string, and keeps unknown names as written', () => {
    const srv = fakeTemplateSrv({ window: '5m) or vector(1', step: '30s' });
    expect(() => interpolateKpi(srv, 'rate(failed[$window])')).toThrow(/only a number or a duration/);
    expect(interpolateKpi(srv, 'rate(failed{a="$other"}[$step])')).toBe('rate(failed{a="${other}"}[30s])');
  });

  it('reads every hostile value back from the string it stands in', () => {
    // Go's (and PromQL's) unquoting of a double-quoted string.
    const unquote = (text: string) =>
      text.replace(/\\(.)/g, (_, c) => ({ n: '\n', r: '\r', t: '\t' })[c as 'n' | 'r' | 't'] ?? c);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (value) => {
        const out = interpolateKpi(fakeTemplateSrv({ v: value }), 'sum(f{a="$v"})');
        expect(out.startsWith('sum(f{a="')).toBe(true);
        expect(out.endsWith('"})')).toBe(true);
        const inner = out.slice('sum(f{a="'.length, -'"})'.length);
        // No unescaped quote ends the string early, and no raw line end (PromQL strings cannot hold one).
        expect(/(^|[^\\])(\\\\)*"/.test(inner)).toBe(false);
        expect(/[\n]/.test(inner)).toBe(false);
        expect(unquote(inner)).toBe(value);
      }),
      { numRuns: 100 }
    );
  });
});
