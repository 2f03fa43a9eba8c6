import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import { DensityLegend, LEGEND_HEIGHT } from './DensityLegend';
import { axisFormatter, prepareRadiographyData } from './fields';
import { smallMultiples } from './layout';
import { normalizeOptions } from './migrations';
import { radiographyPalette } from './palettes';
import { RadiographyPlot } from './RadiographyPlot';
import type { Options } from './types';

/**
 * The radiography panel: one density plot per group (small multiples, each with its own MSE axis, since
 * errors are not comparable across groups) and a shared density legend, or a plain empty state.
 */
export function RadiographyPanel({ data, width, height, options: saved }: PanelProps<Options>) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const options = useMemo(() => normalizeOptions(saved), [saved]);
  const { group, mseField, kpiField } = options;
  const prepared = useMemo(
    () => prepareRadiographyData(data.series, { group, mseField, kpiField }),
    [data.series, group, mseField, kpiField]
  );
  const palette = useMemo(
    () => radiographyPalette(options.palette, theme, options.levels),
    [options.palette, options.levels, theme]
  );
  const formatMse = useMemo(
    () => axisFormatter(prepared.mseField, options.xAxis, theme),
    [prepared.mseField, options.xAxis, theme]
  );
  const formatKpi = useMemo(
    () => axisFormatter(prepared.kpiField, options.yAxis, theme),
    [prepared.kpiField, options.yAxis, theme]
  );

  if (prepared.empty) {
    return (
      <div className={styles.empty} style={{ width, height }} data-testid="syrroca-radiography-empty">
        <div className={styles.emptyTitle}>{prepared.empty.title}</div>
        <div>{prepared.empty.detail}</div>
      </div>
    );
  }

  const legendHeight = options.legend.show ? LEGEND_HEIGHT : 0;
  const grid = smallMultiples(prepared.groups.length, width, height - legendHeight);
  const cellWidth = Math.floor(grid.cellWidth);
  const cellHeight = Math.floor(grid.cellHeight);
  return (
    <div style={{ width, height }}>
      <div className={styles.grid} style={{ gridTemplateColumns: `repeat(${grid.cols}, ${cellWidth}px)` }}>
        {prepared.groups.map((g) => (
          <RadiographyPlot
            key={g.name}
            group={g}
            width={cellWidth}
            height={cellHeight}
            options={options}
            palette={palette}
            formatMse={formatMse}
            formatKpi={formatKpi}
          />
        ))}
      </div>
      {options.legend.show && <DensityLegend palette={palette} width={width} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid' }),
  empty: css({
    boxSizing: 'border-box',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
    textAlign: 'center',
    color: theme.colors.text.secondary,
  }),
  emptyTitle: css({ color: theme.colors.text.primary, fontSize: theme.typography.h5.fontSize }),
});
