import { createTheme } from '@grafana/data';

import { palettes, radiographyPalette } from './palettes';
import type { PaletteId } from './types';

/** Relative luminance (WCAG) of `rgb(r, g, b)` or `#rrggbb`: 0 is black, 1 is white. */
function luminance(color: string): number {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color);
  const parts = hex ? hex.slice(1).map((h) => parseInt(h, 16)) : (color.match(/\d+/g) ?? []).map(Number);
  const [r, g, b] = parts.slice(0, 3).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours, 1 to 21. */
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

const light = createTheme({ colors: { mode: 'light' } });
const dark = createTheme({ colors: { mode: 'dark' } });

describe('radiographyPalette', () => {
  it.each([
    ['light', light],
    ['dark', dark],
  ])('paints the paper palette darker where denser, ending in black on white, in the %s theme', (_, theme) => {
    const p = radiographyPalette('paper', theme, 10);
    expect(p.fills).toHaveLength(10);
    expect(p.background).toBe('#ffffff');
    expect(p.fills[9]).toBe('rgb(0, 0, 0)');
    // Level i is gray 255 * (1 - (i + 1) / 10): the sparsest level is light but not white.
    expect(p.fills[0]).toBe('rgb(230, 230, 230)');
    for (let i = 1; i < 10; i++) {
      expect(luminance(p.fills[i])).toBeLessThan(luminance(p.fills[i - 1]));
    }
  });

  it('gives the paper palette the same colours in light and dark themes', () => {
    expect(radiographyPalette('paper', dark, 6)).toEqual(radiographyPalette('paper', light, 6));
  });

  const themeAware = palettes.map((p) => p.value).filter((v) => v !== 'paper') as PaletteId[];
  it.each(themeAware.flatMap((id) => [[id, 'light'] as const, [id, 'dark'] as const]))(
    'raises the contrast with the background at every level of %s in the %s theme',
    (id, mode) => {
      const theme = mode === 'light' ? light : dark;
      const p = radiographyPalette(id, theme, 8);
      expect(p.background).toBe(theme.colors.background.primary);
      const c = p.fills.map((f) => contrast(f, p.background));
      for (let i = 1; i < c.length; i++) {
        expect(c[i]).toBeGreaterThan(c[i - 1]);
      }
      // The densest level is clearly visible on the background.
      expect(c[c.length - 1]).toBeGreaterThan(4.5);
    }
  );

  it('makes dense levels dark in the light theme and bright in the dark theme', () => {
    const l = radiographyPalette('blues', light, 5);
    const d = radiographyPalette('blues', dark, 5);
    expect(luminance(l.fills[4])).toBeLessThan(luminance(l.fills[0]));
    expect(luminance(d.fills[4])).toBeGreaterThan(luminance(d.fills[0]));
  });

  it('gives one fill per level, at least one', () => {
    expect(radiographyPalette('greens', dark, 3).fills).toHaveLength(3);
    expect(radiographyPalette('greens', dark, 0).fills).toHaveLength(1);
  });

  it('falls back to the paper palette for an unknown name from a newer dashboard', () => {
    expect(radiographyPalette('sepia' as PaletteId, light, 4)).toEqual(radiographyPalette('paper', light, 4));
  });
});
