/**
 * Test page for the radiography panel in real Chromium: the real component, the real @grafana/data theme
 * and @grafana/ui hooks, mounted on demand by the test through `window.syrrocaMount`.
 */
import { createDataFrame, createTheme, FieldType, ThemeContext } from '@grafana/data';
import React from 'react';
import { createRoot, type Root } from 'react-dom/client';

import { RadiographyPanel } from '../../src/panel/RadiographyPanel';
import { panelProps, radiographyFrames } from '../../src/panel/testing/fixtures';
import type { Options } from '../../src/panel/types';

export type Scenario = 'groups' | 'no-points' | 'no-kpi';

export interface MountRequest {
  theme: 'light' | 'dark';
  scenario: Scenario;
  options?: Partial<Options>;
  width: number;
  height: number;
}

function frames(scenario: Scenario) {
  const series = radiographyFrames();
  if (scenario === 'no-points') {
    for (const frame of series) {
      const anomalous = frame.fields.find((f) => f.name === 'anomalous')!;
      anomalous.values = anomalous.values.map(() => false);
    }
  }
  if (scenario === 'no-kpi') {
    return [createDataFrame({ name: 'cpu', fields: [{ name: 'mse', type: FieldType.number, values: [0.1, 0.2] }] })];
  }
  return series;
}

let root: Root | undefined;

declare global {
  interface Window {
    syrrocaMount(request: MountRequest): void;
  }
}

window.syrrocaMount = ({ theme: mode, scenario, options, width, height }) => {
  const theme = createTheme({ colors: { mode } });
  // The panel sits on Grafana's panel background, in Grafana's font.
  document.body.style.background = theme.colors.background.primary;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;
  root?.unmount();
  const container = document.getElementById('root')!;
  root = createRoot(container);
  root.render(
    <ThemeContext.Provider value={theme}>
      <div id="panel" style={{ width, height, padding: 8 }}>
        <RadiographyPanel {...panelProps(frames(scenario), options, width, height)} />
      </div>
    </ThemeContext.Provider>
  );
};

/** A point in page (CSS pixel) coordinates. */
export interface Point {
  x: number;
  y: number;
}

/** Where to look in one plot: the densest level, the sparsest level, and the background outside all levels. */
export interface Probe {
  group: string;
  dense: Point;
  sparse: Point;
  background: Point;
  /** The plot area, in page coordinates. */
  area: { x: number; y: number; width: number; height: number };
}

/**
 * Finds the probe points of every plot from the drawn SVG itself: each pixel of the plot area (every 2 px)
 * is classified by the highest contour level whose fill contains it, and each probe is taken where a
 * 5 x 5 px neighbourhood has a single class, so antialiased edges are never sampled.
 */
function probes(): Probe[] {
  const step = 2;
  return Array.from(document.querySelectorAll<SVGSVGElement>('[data-testid=syrroca-radiography-plot]')).map((svg) => {
    const area = svg.querySelector<SVGRectElement>('[data-testid=syrroca-radiography-hover]')!;
    const paths = Array.from(svg.querySelectorAll<SVGPathElement>('path[data-level]'));
    const width = area.width.baseVal.value;
    const height = area.height.baseVal.value;
    const cols = Math.floor(width / step);
    const rows = Math.floor(height / step);
    const level = new Int8Array(cols * rows).fill(-1);
    const point = new DOMPoint();
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        point.x = i * step;
        point.y = j * step;
        for (let l = paths.length - 1; l >= 0; l--) {
          if (paths[l].isPointInFill(point)) {
            level[i + j * cols] = l;
            break;
          }
        }
      }
    }
    const r = 1; // one 2 px cell on each side: a 5 x 5 px neighbourhood
    const uniform = (i: number, j: number) => {
      if (i < r + 3 || j < r + 3 || i >= cols - r - 3 || j >= rows - r - 3) {
        return false; // also keeps clear of the plot frame
      }
      const v = level[i + j * cols];
      for (let dj = -r; dj <= r; dj++) {
        for (let di = -r; di <= r; di++) {
          if (level[i + di + (j + dj) * cols] !== v) {
            return false;
          }
        }
      }
      return true;
    };
    const top = paths.length - 1;
    const cells = (l: number) => {
      const out: Array<[number, number]> = [];
      for (let j = 0; j < rows; j++) {
        for (let i = 0; i < cols; i++) {
          if (level[i + j * cols] === l && uniform(i, j)) {
            out.push([i, j]);
          }
        }
      }
      return out;
    };
    const densest = cells(top);
    const [ci, cj] = densest.reduce(([a, b], [i, j]) => [a + i / densest.length, b + j / densest.length], [0, 0]);
    const nearest = (list: Array<[number, number]>, i0: number, j0: number) =>
      list.reduce((best, c) => (Math.hypot(c[0] - i0, c[1] - j0) < Math.hypot(best[0] - i0, best[1] - j0) ? c : best));
    const dense = nearest(densest, ci, cj);
    const sparse = nearest(cells(0), dense[0], dense[1]);
    // Bottom right: away from the threshold marker and its label at the top left.
    const background = cells(-1).reduce((best, c) => (c[0] + c[1] > best[0] + best[1] ? c : best));
    const ctm = area.getScreenCTM()!;
    const page = ([i, j]: [number, number]) => {
      const p = new DOMPoint(i * step, j * step).matrixTransform(ctm);
      return { x: p.x + window.scrollX, y: p.y + window.scrollY };
    };
    const box = area.getBoundingClientRect();
    return {
      group: svg.querySelector('text')!.textContent!.split(' · ')[0],
      dense: page(dense),
      sparse: page(sparse),
      background: page(background),
      area: { x: box.x + window.scrollX, y: box.y + window.scrollY, width: box.width, height: box.height },
    };
  });
}

/** Rec. 709 luminance (0-255) of a pixel, averaged over the 3 x 3 block around it. */
function luminanceAt(data: ImageData, x: number, y: number): number {
  let sum = 0;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const k = 4 * (Math.round(x) + dx + (Math.round(y) + dy) * data.width);
      sum += 0.2126 * data.data[k] + 0.7152 * data.data[k + 1] + 0.0722 * data.data[k + 2];
    }
  }
  return sum / 9;
}

export interface Inspection {
  group: string;
  dense: number;
  sparse: number;
  background: number;
  /** Share of the plot area's pixels that differ from the background colour, and distinct colours there. */
  painted: number;
  colours: number;
}

/** Reads a page screenshot (PNG, base64) back into pixels and measures each plot at its probes. */
function inspect(png: string, found: Probe[]): Promise<Inspection[]> {
  const img = new Image();
  img.src = `data:image/png;base64,${png}`;
  return img.decode().then(() => {
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height);
    return found.map((p) => {
      const bg = Math.round(luminanceAt(data, p.background.x, p.background.y));
      const colours = new Set<number>();
      let painted = 0;
      let total = 0;
      for (let y = Math.ceil(p.area.y) + 2; y < p.area.y + p.area.height - 2; y++) {
        for (let x = Math.ceil(p.area.x) + 2; x < p.area.x + p.area.width - 2; x++) {
          const k = 4 * (x + y * data.width);
          const rgb = (data.data[k] << 16) | (data.data[k + 1] << 8) | data.data[k + 2];
          const lum = 0.2126 * data.data[k] + 0.7152 * data.data[k + 1] + 0.0722 * data.data[k + 2];
          colours.add(rgb);
          painted += Math.abs(lum - bg) > 8 ? 1 : 0;
          total++;
        }
      }
      return {
        group: p.group,
        dense: luminanceAt(data, p.dense.x, p.dense.y),
        sparse: luminanceAt(data, p.sparse.x, p.sparse.y),
        background: luminanceAt(data, p.background.x, p.background.y),
        painted: painted / total,
        colours: colours.size,
      };
    });
  });
}

declare global {
  interface Window {
    syrrocaProbes(): Probe[];
    syrrocaInspect(png: string, probes: Probe[]): Promise<Inspection[]>;
  }
}

window.syrrocaProbes = probes;
window.syrrocaInspect = inspect;
