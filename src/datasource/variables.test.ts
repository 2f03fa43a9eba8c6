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
    expect(interpolateKpi(srv, 'sum(failed{namespace="$namespace", pod=~"$pod"})')).toBe(
      'sum(failed{namespace="vims", pod=~"(bono-0|sprout\\.1)"})'
    );
  });
});
