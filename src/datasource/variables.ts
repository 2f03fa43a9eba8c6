/**
 * Dashboard template variables in queries: `$group` in the groups of a query, `$namespace` (and any
 * other variable of the query set) in the PromQL that reads the features, and any variable in the
 * KPI override. Values come from Grafana's template service; where the dashboard has no such
 * variable, the data source's settings or the query set's defaults apply.
 */
import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv, VariableInterpolation } from '@grafana/runtime';

import { SyrrocaError } from '../core/errors';
import { expandTemplate, parseTemplate, templateVariables, type Segment } from '../prom/template';
import type { QuerySet } from '../prom/types';

/** Every value a variable reference stands for (several for a multi-value variable), or undefined when no variable has that name. */
function valuesOf(templateSrv: TemplateSrv, reference: string, scopedVars?: ScopedVars): string[] | undefined {
  let captured: string[] = [];
  const interpolations: VariableInterpolation[] = [];
  const text = templateSrv.replace(
    reference,
    scopedVars,
    (value: unknown) => {
      captured = (Array.isArray(value) ? value : [value]).map(String);
      return captured.join(',');
    },
    interpolations
  );
  const found = interpolations.length > 0 ? interpolations.every((i) => i.found !== false) : text !== reference;
  return found ? captured : undefined;
}

/** The groups a query names, with `$group`-like variables expanded (multi-value variables give several). */
export function resolveGroups(
  templateSrv: TemplateSrv,
  groups: string[] | undefined,
  scopedVars?: ScopedVars
): string[] {
  const resolved = (groups ?? []).flatMap((g) =>
    templateSrv
      .replace(g, scopedVars, (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value)))
      .split(',')
      .map((s) => s.trim())
  );
  return [...new Set(resolved.filter((g) => g !== '' && g !== '$__all'))];
}

/** RE2 metacharacters escaped, as Grafana's `regex` format does. */
const escapeRegex = (value: string) => value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

/** Can a variable take several values here: only where every use is a raw regex (`=~"${name:raw}"`), as an alternation. */
function takesAlternation(querySet: QuerySet, name: string): boolean {
  const uses = Object.values(querySet.groups)
    .flatMap((queries) => queries.flatMap(parseTemplate))
    .filter((s) => s.kind === 'variable' && s.name === name);
  return uses.length > 0 && uses.every((s) => s.kind === 'variable' && s.regex && s.raw);
}

/**
 * Values of the query set's variables: the dashboard's variable of that name when there is one,
 * else `defaults` (e.g. the data source's namespace), else the query set's own default.
 */
export function resolveQuerySetVars(
  templateSrv: TemplateSrv,
  querySet: QuerySet,
  names: string[],
  defaults: Record<string, string | undefined>,
  scopedVars?: ScopedVars
): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const name of names) {
    const values = valuesOf(templateSrv, `\${${name}}`, scopedVars);
    if (values === undefined || values.length === 0) {
      const fallback = defaults[name];
      if (fallback) {
        vars[name] = fallback;
      }
    } else if (values.length === 1) {
      vars[name] = values[0];
    } else if (takesAlternation(querySet, name)) {
      vars[name] = values.map(escapeRegex).join('|');
    } else {
      throw new SyrrocaError(
        'variable-multi',
        `the dashboard variable $${name} has ${values.length} values (${values.slice(0, 3).join(', ')}${values.length > 3 ? ', ...' : ''}) ` +
          `but the models read one ${name} at a time: make the variable single-value, or repeat the panel over it`
      );
    }
  }
  const missing = names.filter((n) => vars[n] === undefined && querySet.variables?.[n] === undefined);
  if (missing.length > 0) {
    const [name] = missing;
    throw new SyrrocaError(
      'variable-missing',
      `the queries that read the features use ${missing.map((n) => `$${n}`).join(', ')} without a value: ` +
        `add a dashboard variable named ${name}` +
        (name === 'namespace'
          ? ' (a query variable of this data source listing namespaces), or set the namespace in the data source settings'
          : '')
    );
  }
  return vars;
}

/**
 * A KPI query with dashboard variables replaced where they stand (see prom/template.ts): inside a
 * string a value is escaped for that string, so a value such as `vims"} or up{x="` stays one label
 * value and cannot add a selector; outside a string only a number or a duration is accepted (e.g.
 * `$__rate_interval`). In a regex matcher a value is a regex, as Grafana's Prometheus data source
 * takes it, and several values become an alternation of escaped values. A name no dashboard
 * variable has is left as written.
 */
export function interpolateKpi(templateSrv: TemplateSrv, query: string, scopedVars?: ScopedVars): string {
  const fail = (message: string): never => {
    throw new SyrrocaError('kpi-query', `the KPI query \`${query}\`: ${message}`);
  };
  let segments: Segment[] = [];
  try {
    segments = parseTemplate(query);
  } catch (err) {
    fail((err as Error).message);
  }
  const values: Record<string, string> = {};
  const unknown = new Set<string>();
  for (const name of templateVariables(segments)) {
    const found = valuesOf(templateSrv, `\${${name}}`, scopedVars);
    if (found === undefined || found.length === 0) {
      unknown.add(name);
    } else if (found.length === 1) {
      values[name] = found[0];
    } else if (segments.every((s) => s.kind !== 'variable' || s.name !== name || s.regex)) {
      values[name] = `(${found.map(escapeRegex).join('|')})`;
    } else {
      fail(
        `the dashboard variable $${name} has ${found.length} values; use it in a regex matcher (label=~"$${name}") or make it single-value`
      );
    }
  }
  const placed = segments.map((s): Segment =>
    s.kind !== 'variable'
      ? s
      : unknown.has(s.name)
        ? { kind: 'text', text: `\${${s.name}${s.raw ? ':raw' : ''}}` }
        : { ...s, raw: true }
  );
  try {
    return expandTemplate(placed, values);
  } catch (err) {
    return fail((err as Error).message);
  }
}
