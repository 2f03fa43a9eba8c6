/**
 * Variables in PromQL templates (`$namespace`, `${namespace}`, `${instance:raw}`, `$$` for a dollar),
 * substituted so that a value can never change the query's structure: inside a string literal it is
 * escaped for that literal (and, after `=~` / `!~`, escaped as a regular expression too, so it
 * matches itself only, unless written `${name:raw}`); outside a string it must be a number or a
 * duration. The template is read once with PromQL's own lexing rules for strings and comments.
 */

export type Segment =
  | { kind: 'text'; text: string }
  | {
      kind: 'variable';
      name: string;
      /** `raw`: inside a regex matcher, the value is a regular expression itself (still quote-escaped). */
      raw: boolean;
      /** Where it stands: in a string literal (which quote), or bare in the expression. */
      quote: '"' | "'" | '`' | null;
      /** In the string of a `=~` or `!~` matcher. */
      regex: boolean;
    };

/** A template that cannot be read; the caller adds where it came from. */
export class TemplateError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Splits a template into text and variables, checking that strings are terminated and variables well formed. */
export function parseTemplate(template: string): Segment[] {
  const segments: Segment[] = [];
  let text = '';
  let i = 0;
  const flush = () => {
    if (text) {
      segments.push({ kind: 'text', text });
      text = '';
    }
  };
  /** Reads a variable at `i` (a `$`); returns false when the `$` is just a dollar (e.g. `$1` of label_replace). */
  const variable = (quote: '"' | "'" | '`' | null, regex: boolean): boolean => {
    if (template[i + 1] === '$') {
      text += '$';
      i += 2;
      return true;
    }
    const braced = template[i + 1] === '{';
    const rest = template.slice(i + (braced ? 2 : 1));
    const name = NAME.exec(rest)?.[0];
    if (!name) {
      return false;
    }
    let length = (braced ? 2 : 1) + name.length;
    let raw = false;
    if (braced) {
      const format = /^(?::([a-z]+))?\}/.exec(rest.slice(name.length));
      if (!format) {
        throw new TemplateError(`variable \${${name}... at character ${i + 1} is not closed with "}"`);
      }
      if (format[1] !== undefined && format[1] !== 'raw') {
        throw new TemplateError(`unknown format ":${format[1]}" of variable ${name} (only ":raw" exists)`);
      }
      raw = format[1] === 'raw';
      length += format[0].length;
    }
    flush();
    segments.push({ kind: 'variable', name, raw, quote, regex });
    i += length;
    return true;
  };
  while (i < template.length) {
    const c = template[i];
    if (c === '#') {
      const end = template.indexOf('\n', i);
      text += template.slice(i, end < 0 ? template.length : end);
      i = end < 0 ? template.length : end;
    } else if (c === '"' || c === "'" || c === '`') {
      const regex = /[=!]~\s*$/.test(template.slice(0, i));
      const opened = i;
      text += c;
      i++;
      while (template[i] !== c) {
        if (i >= template.length || (template[i] === '\n' && c !== '`')) {
          throw new TemplateError(`string opened at character ${opened + 1} is not closed`);
        }
        if (template[i] === '\\' && c !== '`') {
          text += template.slice(i, i + 2);
          i += 2;
        } else if (template[i] !== '$' || !variable(c, regex)) {
          text += template[i++];
        }
      }
      text += c;
      i++;
    } else if (c !== '$' || !variable(null, false)) {
      text += c;
      i++;
    }
  }
  flush();
  return segments;
}

/** Names of the variables a template uses, once each, in order of appearance. */
export function templateVariables(segments: Segment[]): string[] {
  return [...new Set(segments.flatMap((s) => (s.kind === 'variable' ? [s.name] : [])))];
}

/** RE2 metacharacters, as Go's regexp.QuoteMeta escapes them. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

const NUMBER_OR_DURATION = /^(?:\d+(?:\.\d+)?|(?:\d+(?:ms|s|m|h|d|w|y))+)$/;

/**
 * The template with every variable replaced. Throws a TemplateError when a value is missing or
 * cannot be placed safely (a bare value that is not a number or duration, a backtick in a raw string).
 */
export function expandTemplate(segments: Segment[], values: Record<string, string>): string {
  return segments
    .map((s) => {
      if (s.kind === 'text') {
        return s.text;
      }
      const value = Object.prototype.hasOwnProperty.call(values, s.name) ? values[s.name] : undefined;
      if (value === undefined) {
        throw new TemplateError(`variable ${s.name} has no value`);
      }
      if (s.quote === null) {
        if (!NUMBER_OR_DURATION.test(value)) {
          throw new TemplateError(
            `variable ${s.name} stands outside a quoted string, where only a number or a duration (e.g. 5m) is allowed, ` +
              `not ${JSON.stringify(value)}; quote it in the query (label="$${s.name}") if it is a label value`
          );
        }
        return value;
      }
      const literal = s.regex && !s.raw ? escapeRegex(value) : value;
      if (s.quote === '`') {
        if (literal.includes('`')) {
          throw new TemplateError(
            `variable ${s.name} holds a backtick, which cannot appear in a \`raw string\`; use "..." in the query`
          );
        }
        return literal;
      }
      return literal.replace(/[\\\n\r]|["']/g, (c) =>
        c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\\' ? '\\\\' : c === s.quote ? `\\${c}` : c
      );
    })
    .join('');
}
