import type { GroupScore } from '../core/types';
import { renderReport } from './report';

const groups = ['cpu', 'network'];
const t0 = 1_700_000_000;

function scores(): GroupScore[] {
  const out: GroupScore[] = [];
  for (let i = 0; i < 60; i++) {
    const anomalous = i >= 20 && i < 40;
    out.push({
      t: t0 + i * 30,
      group: 'cpu',
      mse: anomalous ? 0.5 + (i % 5) * 0.1 : 0.01,
      threshold: 0.1,
      anomalous,
      features: anomalous ? [{ name: 'cpu{pod="<script>alert(1)</script>"}', p: 0.95 }] : [],
    });
    out.push({ t: t0 + i * 30, group: 'network', mse: 0.02, threshold: 0.1, anomalous: false, features: [] });
  }
  return out;
}

const t = Float64Array.from({ length: 60 }, (_, i) => t0 + i * 30);
const html = renderReport({
  title: 'Report & <test>',
  subtitle: 'synthetic',
  groups,
  scenarios: [
    {
      name: 'cpu-stress',
      description: 'stress',
      scores: scores(),
      kpi: { t, attempts: t.map(() => 100), failed: t.map((_, i) => (i >= 20 && i < 40 ? i % 4 : 0)) },
      faultSpans: [{ from: t0 + 600, to: t0 + 1170 }],
      findings: ['Back at its nominal share 1.5 min after the stress ends (x < y).'],
    },
  ],
});

describe('renderReport', () => {
  it('is one self-contained page: no script and no external resource', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it("lists the scenario's findings under its description", () => {
    expect(html).toContain(
      '<p>stress</p><ul class="findings"><li>Back at its nominal share 1.5 min after the stress ends (x &lt; y).</li></ul>'
    );
  });

  it('escapes feature names and titles everywhere they are shown', () => {
    expect(html).toContain('Report &amp; &lt;test&gt;');
    expect(html).toContain('cpu{pod=&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;}');
  });

  it('draws one radiography per group, with contours where there are anomalous points', () => {
    const figures = html.split('<figure class="radiography">').slice(1);
    expect(figures).toHaveLength(2);
    expect(figures[0]).toMatch(/<path d="M[^"]+" fill="rgb/);
    expect(figures[1]).toContain('no anomalous points');
  });

  it('lists the anomalous interval with its features and characterizes the anomalous samples', () => {
    expect(html).toContain('<td>cpu</td><td>20</td>');
    expect(html).toContain('100.0% characterized by F = [cpu{pod=&quot;&lt;script&gt;');
    expect(html).toContain('<b>network</b>: no threshold-crossing sample.');
  });
});
