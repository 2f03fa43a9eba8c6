/**
 * Step 2 of the method: resource groups. A catalog of regexes (JavaScript syntax, no flags, matched
 * anywhere in the canonical series name, so anchor with `^` to match the metric name) sends each
 * feature to the first group with a matching pattern; one autoencoder is trained per group.
 */
import { InputError, SyrrocaError } from './errors';
import type { GroupCatalog } from './types';

/** Group names become artifact folder names and label values: keep them to safe identifiers. */
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const FALLBACK_KEY = '$fallback';

/** cAdvisor (`container_*`) and node-exporter (`node_*`) series, grouped as in the paper. */
export const DEFAULT_CATALOG: GroupCatalog = {
  rules: [
    {
      group: 'cpu',
      patterns: [
        '^container_cpu_',
        '^container_spec_cpu_',
        '^node_cpu_',
        '^node_load\\d',
        '^node_schedstat_',
        '^node_pressure_cpu_',
      ],
    },
    {
      group: 'memory',
      patterns: [
        '^container_memory_',
        '^container_spec_memory_',
        '^node_memory_',
        '^node_vmstat_',
        '^node_pressure_memory_',
      ],
    },
    {
      group: 'network',
      patterns: ['^container_network_', '^node_network_', '^node_netstat_', '^node_sockstat_', '^node_nf_conntrack_'],
    },
    {
      group: 'filesystem',
      patterns: ['^container_fs_', '^container_blkio_', '^node_filesystem_', '^node_disk_', '^node_pressure_io_'],
    },
  ],
  fallback: 'other',
};

/** One group `all` with every feature (`--groups single`): no rule, everything falls back. */
export const SINGLE_CATALOG: GroupCatalog = { rules: [], fallback: 'all' };

/** The pattern compiled, or why it does not compile, as a sentence that names where it is. */
function compile(pattern: string, where: string): RegExp | string {
  try {
    return new RegExp(pattern);
  } catch (error) {
    return `${where}: ${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message}): fix the pattern`;
  }
}

function checkGroupName(name: unknown, source: string, what: string): string {
  if (typeof name !== 'string' || !GROUP_NAME.test(name)) {
    throw new InputError(
      'catalog-group-name',
      { source },
      `${what} ${JSON.stringify(name)} is not a valid group name: use letters, digits, "_" and "-", starting with a letter or "_"`
    );
  }
  return name;
}

/**
 * Reads a catalog file: `{"cpu": ["^container_cpu_", ...], "memory": [...], "$fallback": "other"}`.
 * Keys are groups in priority order (a feature joins the first group that matches); `$fallback` names
 * the group of unmatched features (default `other`), or `null` to leave them out.
 */
export function parseCatalog(json: unknown, source: string): GroupCatalog {
  const example = 'write {"cpu": ["^container_cpu_"], "memory": ["^container_memory_"], "$fallback": "other"}';
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError('catalog-shape', { source }, `the catalog must be a JSON object of groups: ${example}`);
  }
  const rules: GroupCatalog['rules'] = [];
  let fallback: string | null = 'other';
  for (const [key, value] of Object.entries(json)) {
    if (key === FALLBACK_KEY) {
      fallback = value === null ? null : checkGroupName(value, source, `"${FALLBACK_KEY}"`);
      continue;
    }
    const group = checkGroupName(key, source, 'key');
    if (!Array.isArray(value) || value.length === 0 || !value.every((p) => typeof p === 'string')) {
      throw new InputError(
        'catalog-patterns',
        { source },
        `group "${group}" must be a non-empty list of regular expressions (strings): ${example}`
      );
    }
    value.forEach((pattern: string, index) => {
      const compiled = compile(pattern, `group "${group}", pattern ${index + 1}`);
      if (typeof compiled === 'string') {
        throw new InputError('catalog-regex', { source }, compiled);
      }
    });
    rules.push({ group, patterns: value });
  }
  if (rules.length === 0 && fallback === null) {
    throw new InputError('catalog-empty', { source }, `the catalog has no group: ${example}`);
  }
  return { rules, fallback };
}

export interface AssignGroupsOptions {
  /** Features to leave out of every group, e.g. the service KPIs (`^sipp_`), which are not model inputs. */
  exclude?: RegExp;
}

/**
 * Column indices (in input order) of each group's features, with groups in catalog order and the
 * fallback last. Groups without features are omitted.
 */
export function assignGroups(
  features: string[],
  catalog: GroupCatalog,
  options: AssignGroupsOptions = {}
): Map<string, number[]> {
  const compiled = catalog.rules.map((rule) => ({
    group: rule.group,
    patterns: rule.patterns.map((pattern, index) => {
      const regex = compile(pattern, `group "${rule.group}", pattern ${index + 1}`);
      if (typeof regex === 'string') {
        throw new SyrrocaError('catalog-regex', regex);
      }
      return regex;
    }),
  }));
  // A global or sticky regex keeps state between test() calls: use a stateless copy.
  const exclude = options.exclude && new RegExp(options.exclude.source, options.exclude.flags.replace(/[gy]/g, ''));
  const members = new Map<string, number[]>();
  for (const name of [...compiled.map((rule) => rule.group), catalog.fallback]) {
    if (name !== null && !members.has(name)) {
      members.set(name, []);
    }
  }
  features.forEach((feature, index) => {
    if (exclude?.test(feature)) {
      return;
    }
    const rule = compiled.find((r) => r.patterns.some((pattern) => pattern.test(feature)));
    const group = rule?.group ?? catalog.fallback;
    if (group !== null) {
      members.get(group)!.push(index);
    }
  });
  for (const [group, indices] of members) {
    if (indices.length === 0) {
      members.delete(group);
    }
  }
  return members;
}
