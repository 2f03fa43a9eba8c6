/**
 * Colours of the radiography: one fill per density level, from the sparsest to the densest.
 * `paper` is the paper's figure (black is dense, on white); the others follow the Grafana theme so the
 * densest level always has the most contrast with the panel background, in light and dark themes alike.
 */
import type { GrafanaTheme2 } from '@grafana/data';
import { scaleLinear } from 'd3-scale';

import { radiographyGrays } from '../core/radiography';
import type { PaletteId } from './types';

export interface RadiographyPalette {
  /** `fills[i]` paints level i; index 0 is the sparsest. */
  fills: string[];
  /** Plot area behind the contours (density below the first level). */
  background: string;
  /** Points overlay and threshold marker: a hue that stands out from the fills. */
  accent: string;
  /** Text and ticks drawn over the plot area. */
  ink: string;
}

export const palettes: Array<{ value: PaletteId; label: string; description: string }> = [
  {
    value: 'paper',
    label: 'Paper (grayscale)',
    description: 'Black where dense, on white, as in the paper; same in every theme',
  },
  { value: 'grays', label: 'Grays', description: 'Dense levels stand out from the theme background' },
  { value: 'blues', label: 'Blues', description: 'Dense levels stand out from the theme background' },
  { value: 'greens', label: 'Greens', description: 'Dense levels stand out from the theme background' },
  { value: 'oranges', label: 'Oranges', description: 'Dense levels stand out from the theme background' },
  { value: 'purples', label: 'Purples', description: 'Dense levels stand out from the theme background' },
  { value: 'reds', label: 'Reds', description: 'Dense levels stand out from the theme background' },
];

/** Theme-aware palettes: the hue they ramp through and the contrasting accent. */
const HUES: Record<Exclude<PaletteId, 'paper'>, { hue: string; accent: string }> = {
  grays: { hue: '', accent: 'orange' },
  blues: { hue: 'blue', accent: 'orange' },
  greens: { hue: 'green', accent: 'purple' },
  oranges: { hue: 'orange', accent: 'blue' },
  purples: { hue: 'purple', accent: 'green' },
  reds: { hue: 'red', accent: 'blue' },
};

const mix = (a: string, b: string, t: number) => scaleLinear<string>().range([a, b])(t);

/** Even ramp of `levels` colours; level i takes the colour at (i + 1) / levels, so the densest is `end`. */
function ramp(stops: string[], levels: number): string[] {
  const at = scaleLinear<string>()
    .domain(stops.map((_, i) => i / (stops.length - 1)))
    .range(stops);
  return Array.from({ length: levels }, (_, i) => at((i + 1) / levels));
}

export function radiographyPalette(id: PaletteId, theme: GrafanaTheme2, levels: number): RadiographyPalette {
  const n = Math.max(1, Math.round(levels));
  if (id === 'paper' || !(id in HUES)) {
    return {
      fills: radiographyGrays(n),
      background: '#ffffff',
      accent: '#e0752d',
      ink: '#000000',
    };
  }
  const { hue: name, accent } = HUES[id];
  const background = theme.colors.background.primary;
  const extreme = theme.isDark ? '#ffffff' : '#000000';
  // Mid-gray for grays; otherwise the theme's own hue, pushed towards the extreme at the dense end.
  const hue = name ? theme.visualization.getColorByName(name) : mix(background, extreme, 0.5);
  const start = mix(background, hue, 0.15);
  const end = mix(hue, extreme, theme.isDark ? 0.55 : 0.45);
  return {
    fills: ramp([start, hue, end], n),
    background,
    accent: theme.visualization.getColorByName(accent),
    ink: theme.colors.text.primary,
  };
}
