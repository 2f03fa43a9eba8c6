import { InputError } from './errors';
import { DEFAULT_CATALOG, SINGLE_CATALOG, assignGroups, parseCatalog } from './groups';

const FEATURES = [
  'container_cpu_usage_seconds_total{container="bono",pod="bono-0"}', // 0
  'container_memory_working_set_bytes{pod="hss-0"}', // 1
  'node_load1', // 2
  'container_network_receive_bytes_total{interface="eth0",pod="sprout-0"}', // 3
  'node_filesystem_avail_bytes{mountpoint="/"}', // 4
  'node_disk_io_time_seconds_total{device="sda"}', // 5
  'node_memory_MemAvailable_bytes', // 6
  'sipp_failed_calls_total', // 7
  'node_cpu_seconds_total{cpu="0",mode="idle"}', // 8
  'node_network_transmit_bytes_total{device="eth0"}', // 9
  'container_fs_writes_bytes_total{pod="hss-0"}', // 10
  'up', // 11
];

describe('DEFAULT_CATALOG', () => {
  it('groups cAdvisor and node-exporter series by resource, the rest in other', () => {
    expect(assignGroups(FEATURES, DEFAULT_CATALOG)).toEqual(
      new Map([
        ['cpu', [0, 2, 8]],
        ['memory', [1, 6]],
        ['network', [3, 9]],
        ['filesystem', [4, 5, 10]],
        ['other', [7, 11]],
      ])
    );
  });
});

describe('assignGroups', () => {
  it('leaves out excluded features, such as service KPIs, and omits groups left empty', () => {
    const groups = assignGroups(FEATURES, DEFAULT_CATALOG, { exclude: /^sipp_|^up$/ });
    expect(groups.get('other')).toBeUndefined();
    expect([...groups.keys()]).toEqual(['cpu', 'memory', 'network', 'filesystem']);
  });

  it('uses a global exclude regex without carrying state from one feature to the next', () => {
    const groups = assignGroups(['sipp_a', 'sipp_b', 'sipp_c'], SINGLE_CATALOG, { exclude: /^sipp_/g });
    expect(groups.size).toBe(0);
  });

  it('puts every feature in one group "all" with the single catalog', () => {
    expect(assignGroups(['b', 'a', 'c'], SINGLE_CATALOG)).toEqual(new Map([['all', [0, 1, 2]]]));
  });

  it('gives a feature to the first group that matches, in catalog order', () => {
    const catalog = parseCatalog({ hss: ['pod="hss'], memory: ['^container_memory_'] }, 'g.json');
    expect(assignGroups(FEATURES, catalog)).toEqual(
      new Map([
        ['hss', [1, 10]],
        ['other', [0, 2, 3, 4, 5, 6, 7, 8, 9, 11]],
      ])
    );
  });

  it('drops unmatched features when the fallback is null', () => {
    const catalog = parseCatalog({ cpu: ['cpu'], $fallback: null }, 'g.json');
    expect(assignGroups(FEATURES, catalog)).toEqual(new Map([['cpu', [0, 8]]]));
  });
});

describe('parseCatalog', () => {
  it('reads groups in key order and the fallback', () => {
    expect(parseCatalog({ net: ['^node_network_'], cpu: ['^node_cpu_', 'load'], $fallback: 'rest' }, 'g.json')).toEqual(
      {
        rules: [
          { group: 'net', patterns: ['^node_network_'] },
          { group: 'cpu', patterns: ['^node_cpu_', 'load'] },
        ],
        fallback: 'rest',
      }
    );
  });

  it('falls back to "other" by default', () => {
    expect(parseCatalog({ cpu: ['cpu'] }, 'g.json').fallback).toBe('other');
  });

  it.each([
    ['a list', [], 'catalog-shape', 'the catalog must be a JSON object of groups'],
    ['null', null, 'catalog-shape', 'the catalog must be a JSON object of groups'],
    ['a group that is not a list', { cpu: '^node_cpu_' }, 'catalog-patterns', 'group "cpu" must be a non-empty list'],
    ['a group with no pattern', { cpu: [] }, 'catalog-patterns', 'group "cpu" must be a non-empty list'],
    ['a pattern that is not a string', { cpu: [1] }, 'catalog-patterns', 'group "cpu" must be a non-empty list'],
    [
      'an invalid regex',
      { cpu: ['ok', '(unclosed'] },
      'catalog-regex',
      'group "cpu", pattern 2: "(unclosed" is not a valid',
    ],
    ['an unsafe group name', { '../x': ['a'] }, 'catalog-group-name', 'key "../x" is not a valid group name'],
    ['an index-like group name', { '1': ['a'] }, 'catalog-group-name', 'key "1" is not a valid group name'],
    ['a fallback that is not a name', { cpu: ['a'], $fallback: 3 }, 'catalog-group-name', '"$fallback" 3 is not'],
    ['no group at all', { $fallback: null }, 'catalog-empty', 'the catalog has no group'],
  ])('refuses %s, naming the key', (_, json, code, message) => {
    let error: unknown;
    try {
      parseCatalog(json, 'g.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe(code);
    expect((error as InputError).message).toContain(`g.json: ${message}`);
  });
});
