import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

import type { RadiographyPalette } from './palettes';

interface Props {
  palette: RadiographyPalette;
  width: number;
}

export const LEGEND_HEIGHT = 44;

/**
 * The density scale: the plot background below the first level, then one swatch per level. Levels sit at
 * i / (levels + 1) of each group's peak (see radiographyDensity), so the scale reads in shares of the peak.
 */
export function DensityLegend({ palette, width }: Props) {
  const styles = useStyles2(getStyles);
  const barWidth = Math.max(60, Math.min(320, width - 140));
  const n = palette.fills.length;
  const band = barWidth / (n + 1);
  const swatches = [palette.background, ...palette.fills];
  return (
    <div className={styles.legend} data-testid="syrroca-radiography-legend">
      <span className={styles.title}>Density</span>
      <svg width={barWidth + 40} height={30} role="img" aria-label="Density scale, from sparse to dense">
        <g transform="translate(20,2)">
          {swatches.map((fill, i) => (
            <rect key={i} x={i * band} width={band + 0.5} height={12} fill={fill} />
          ))}
          <rect width={barWidth} height={12} fill="none" className={styles.frame} />
          {[0, 0.5, 1].map((v) => (
            <text key={v} x={v * barWidth} y={26} textAnchor="middle" className={styles.tick}>
              {v === 0 ? '0' : `${v * 100}%`}
            </text>
          ))}
        </g>
      </svg>
      <span className={styles.note}>of each group’s peak</span>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({
    height: LEGEND_HEIGHT,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(1),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
  title: css({ color: theme.colors.text.primary }),
  note: css({ color: theme.colors.text.secondary }),
  frame: css({ stroke: theme.colors.border.medium }),
  tick: css({ fill: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
