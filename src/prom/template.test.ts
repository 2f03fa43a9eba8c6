import { expandTemplate, parseTemplate, templateVariables } from './template';

const expand = (template: string, values: Record<string, string>) => expandTemplate(parseTemplate(template), values);

describe('variables in label values', () => {
  it('substitutes $name and ${name} inside a quoted label value', () => {
    expect(expand('up{namespace="$ns", pod="${pod}-0"}', { ns: 'ims', pod: 'sprout' })).toBe(
      'up{namespace="ims", pod="sprout-0"}'
    );
  });

  it('escapes a hostile value so it stays one label value and cannot add a selector', () => {
    const hostile = 'vims"} or vector(1) or {a="';
    expect(expand('x{namespace="$namespace"}', { namespace: hostile })).toBe(
      'x{namespace="vims\\"} or vector(1) or {a=\\""}'
    );
  });

  it('escapes a trailing backslash so it cannot swallow the closing quote', () => {
    expect(expand('x{ns="$ns"}', { ns: 'a\\' })).toBe('x{ns="a\\\\"}');
  });

  it('escapes newlines, which would end a PromQL string', () => {
    expect(expand('x{ns="$ns"}', { ns: 'a\n} or vector(1)' })).toBe('x{ns="a\\n} or vector(1)"}');
  });

  it('escapes the quote of a single-quoted string and leaves the other quote alone', () => {
    expect(expand("x{ns='$ns'}", { ns: `a'b"c` })).toBe(`x{ns='a\\'b"c'}`);
  });

  it('refuses a backtick in a raw string, where it cannot be escaped', () => {
    expect(expand('x{ns=`$ns`}', { ns: 'a\\b' })).toBe('x{ns=`a\\b`}');
    expect(() => expand('x{ns=`$ns`}', { ns: 'a` or vector(1) or x{a=`' })).toThrow(/holds a backtick/);
  });
});

describe('variables in regex matchers', () => {
  it('escapes regex metacharacters after =~ and !~ so the value matches only itself', () => {
    expect(expand('x{ns=~"$ns"}', { ns: '.*' })).toBe('x{ns=~"\\\\.\\\\*"}');
    expect(expand('x{ns !~ "prefix-$ns"}', { ns: 'a|b' })).toBe('x{ns !~ "prefix-a\\\\|b"}');
  });

  it('keeps a ${name:raw} value as a regex, still unable to close the string', () => {
    expect(expand('x{instance=~"${nodes:raw}"}', { nodes: 'n1|n2' })).toBe('x{instance=~"n1|n2"}');
    expect(expand('x{instance=~"${nodes:raw}"}', { nodes: '"} or vector(1) #' })).toBe(
      'x{instance=~"\\"} or vector(1) #"}'
    );
  });

  it('does not regex-escape an exact matcher', () => {
    expect(expand('x{ns="$ns"}', { ns: 'a.b' })).toBe('x{ns="a.b"}');
  });
});

describe('variables outside strings', () => {
  it('allows a number or a duration', () => {
    expect(expand('rate(x[$w]) > $t', { w: '1m30s', t: '0.5' })).toBe('rate(x[1m30s]) > 0.5');
  });

  it('refuses anything else, which could change the expression', () => {
    expect(() => expand('rate(x[$w])', { w: '5m]) or vector(1' })).toThrow(
      /variable w stands outside a quoted string, where only a number or a duration \(e\.g\. 5m\) is allowed/
    );
    expect(() => expand('x{ns=$ns}', { ns: 'ims' })).toThrow(/quote it in the query \(label="\$ns"\)/);
  });
});

describe('reading templates', () => {
  it('leaves label_replace references, $$ (a dollar) and comments alone', () => {
    expect(expand('label_replace(up, "a", "$1", "b", "(.*)") # $ns\n', {})).toBe(
      'label_replace(up, "a", "$1", "b", "(.*)") # $ns\n'
    );
    expect(expand('x{a="$$ns"}', { ns: 'no' })).toBe('x{a="$ns"}');
  });

  it('keeps escapes already in the template, so \\" does not end the string', () => {
    expect(expand('x{a="q\\"$ns"}', { ns: 'v' })).toBe('x{a="q\\"v"}');
  });

  it('lists the variables it uses', () => {
    expect(templateVariables(parseTemplate('x{a="$ns", b=~"${node:raw}"}[$w] + y{a="$ns"}'))).toEqual([
      'ns',
      'node',
      'w',
    ]);
  });

  it('says which string is not closed', () => {
    expect(() => parseTemplate('x{a="b}')).toThrow('string opened at character 5 is not closed');
    expect(() => parseTemplate('x{a="b\n"}')).toThrow('string opened at character 5 is not closed');
  });

  it('refuses an unknown format and an unclosed ${', () => {
    expect(() => parseTemplate('x{a="${ns:regex}"}')).toThrow(
      'unknown format ":regex" of variable ns (only ":raw" exists)'
    );
    expect(() => parseTemplate('x{a="${ns"}')).toThrow(/is not closed with "}"/);
  });

  it('says which variable has no value', () => {
    expect(() => expand('x{a="$ns"}', {})).toThrow('variable ns has no value');
  });
});
