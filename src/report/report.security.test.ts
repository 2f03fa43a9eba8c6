/**
 * @jest-environment jsdom
 */
/**
 * report.html with hostile names in every place a name is shown (title, scenario, description,
 * group, feature names in the features table and the characterization, chart titles), read back by
 * a real HTML parser: no element, attribute or URL comes from the data; every name is shown as text.
 */
import fc from 'fast-check';

import { fuzz, hostileText } from '../../tests/helpers/fuzz';
import type { GroupScore } from '../core/types';
import { renderReport } from './report';

const CASES = 20;
const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  "' onmouseover='alert(1)",
  '</style><svg onload=alert(1)>',
  'javascript:alert(1)',
  '<!--',
  ']]>',
];
const name = fc.oneof(fc.constantFrom(...PAYLOADS), hostileText(20)).filter((s) => s.trim() !== '');

/** The elements the report itself writes; anything else came from the data. */
const OWN_ELEMENTS = new Set(
  'html head meta title style body header h1 h2 h3 p br nav a section table thead tbody tr th td span figure figcaption div ul li b svg g text tspan path line rect circle clippath defs lineargradient stop polyline polygon'.split(
    ' '
  )
);

const t0 = 1_700_000_000;

function report(title: string, scenario: string, groups: string[], features: string[]): string {
  const scores: GroupScore[] = [];
  for (let i = 0; i < 30; i++) {
    groups.forEach((group, g) => {
      const anomalous = i >= 10 && i < 20;
      scores.push({
        t: t0 + 30 * i,
        group,
        mse: anomalous ? 1 + (i % 3) : 0.01,
        threshold: 0.5,
        anomalous,
        features: anomalous ? features.map((f, k) => ({ name: f, p: (k + 1 + g) / 10 })) : [],
      });
    });
  }
  const t = Float64Array.from({ length: 30 }, (_, i) => t0 + 30 * i);
  return renderReport({
    title,
    subtitle: title,
    groups,
    scenarios: [
      {
        name: scenario,
        description: scenario,
        scores,
        kpi: { t, attempts: t.map(() => 100), failed: t.map((_, i) => (i >= 10 && i < 20 ? i % 5 : 0)) },
        faultSpans: [{ from: t0 + 300, to: t0 + 600 }],
      },
    ],
  });
}

describe('report.html with hostile names', () => {
  it(`shows every name as text and lets none become markup, in ${CASES} reports`, () => {
    fuzz(
      fc.property(
        name,
        name,
        fc.uniqueArray(name, { minLength: 1, maxLength: 2 }),
        fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
        (title, scenario, groups, features) => {
          const html = report(title, scenario, groups, features);
          const doc = new DOMParser().parseFromString(html, 'text/html');
          for (const element of Array.from(doc.querySelectorAll('*'))) {
            expect(OWN_ELEMENTS).toContain(element.tagName.toLowerCase());
            for (const attribute of Array.from(element.attributes)) {
              expect(attribute.name.startsWith('on')).toBe(false);
              if (attribute.name === 'href') {
                expect(attribute.value.startsWith('#')).toBe(true);
              }
            }
          }
          const text = doc.body.textContent!;
          for (const shown of [title, scenario, ...groups, ...features]) {
            // HTML parsing turns CR and CRLF into LF and drops NUL from text: compare as a browser shows it.
            expect(text).toContain(shown.replace(/\r\n?/g, '\n').replace(/\0/g, ''));
          }
        }
      ),
      CASES
    );
  });
});
