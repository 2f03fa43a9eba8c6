import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React, { useId, useMemo, useState } from 'react';

import { contourPath, radiographyDensity, radiographyDomain } from '../core/radiography';
import { NO_POINTS, type RadiographyGroup } from './fields';
import { axisTicks } from './layout';
import type { RadiographyPalette } from './palettes';
import { hoverAt } from './tooltip/hover';
import { RadiographyTooltip } from './tooltip/RadiographyTooltip';
import type { Options } from './types';

interface Props {
  group: RadiographyGroup;
  width: number;
  height: number;
  options: Options;
  palette: RadiographyPalette;
  formatMse: (v: number) => string;
  formatKpi: (v: number) => string;
}

/** Room for the group title (top) and the axes with their titles (left, bottom). */
const MARGIN = { top: 22, right: 14, bottom: 40, left: 58 };
/** Below this the plot area cannot hold a readable density. */
const MIN_SIDE = 24;

/** One group's radiography: filled density contours with axes, optional points and threshold, and a tooltip. */
export function RadiographyPlot(props: Props) {
  const { group, width, height, options, palette, formatMse, formatKpi } = props;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const clipId = `syrroca-clip-${useId().replace(/:/g, '')}`;
  const [hover, setHover] = useState<{ px: number; py: number } | null>(null);

  const innerWidth = Math.floor(width - MARGIN.left - MARGIN.right);
  const innerHeight = Math.floor(height - MARGIN.top - MARGIN.bottom);
  const drawable = innerWidth >= MIN_SIDE && innerHeight >= MIN_SIDE;
  const { xScale, bandwidth, cellSize, levels, showThreshold } = options;
  const t = group.threshold;
  const threshold =
    showThreshold && t !== undefined && Number.isFinite(t) && (xScale !== 'log' || t > 0) ? t : undefined;

  const radiography = useMemo(
    () =>
      drawable
        ? radiographyDensity(
            { x: group.mse, y: group.kpi },
            {
              width: innerWidth,
              height: innerHeight,
              xScale,
              bandwidth,
              cellSize,
              levels,
              // The threshold sits left of every anomalous point: widen the axis to show it.
              xDomain: radiographyDomain(group.mse, xScale, threshold === undefined ? [] : [threshold]),
            }
          )
        : undefined,
    [drawable, group, innerWidth, innerHeight, xScale, bandwidth, cellSize, levels, threshold]
  );

  // Hovering re-renders the plot: keep the path strings and ticks from the density, not from the pointer.
  const drawing = useMemo(
    () =>
      radiography && {
        paths: radiography.contours.map((c) => contourPath(c.coordinates)),
        xTicks: axisTicks(radiography.x, xScale, innerWidth),
        yTicks: axisTicks(radiography.y, 'linear', innerHeight),
      },
    [radiography, xScale, innerWidth, innerHeight]
  );

  const xTitle = (options.xAxis.label || group.mseName) + (xScale === 'log' ? ' (log)' : '');
  const yTitle = options.yAxis.label || group.kpiName;
  const count = radiography?.count ?? 0;
  const title = (
    <text x={MARGIN.left} y={15} className={styles.title}>
      {group.name}
      <tspan className={styles.subtitle}> · {count === 1 ? '1 anomalous point' : `${count} anomalous points`}</tspan>
    </text>
  );
  if (!radiography || !drawing) {
    return (
      <svg width={width} height={height} data-testid="syrroca-radiography-plot">
        {title}
      </svg>
    );
  }

  const { x, y } = radiography;
  const info = hover && count ? hoverAt(radiography, hover.px, hover.py) : undefined;
  const fontSize = theme.typography.bodySmall.fontSize;
  return (
    <div className={styles.plot} style={{ width, height }}>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`Radiography of ${group.name}: density of ${xTitle} against ${yTitle} over ${count} anomalous points`}
        data-testid="syrroca-radiography-plot"
        fontFamily={theme.typography.fontFamily}
        fontSize={fontSize}
      >
        {title}
        <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
          <clipPath id={clipId}>
            <rect width={innerWidth} height={innerHeight} />
          </clipPath>
          <rect width={innerWidth} height={innerHeight} fill={palette.background} />
          <g clipPath={`url(#${clipId})`}>
            {drawing.paths.map((d, i) => (
              <path key={i} d={d} fill={palette.fills[i]} data-level={i} />
            ))}
            {options.showPoints &&
              Array.from(radiography.px, (px, i) => (
                <circle
                  key={i}
                  cx={px}
                  cy={radiography.py[i]}
                  r={2}
                  fill={palette.accent}
                  stroke={palette.background}
                  strokeWidth={0.5}
                />
              ))}
            {threshold !== undefined && (
              <g data-testid="syrroca-radiography-threshold">
                <line
                  x1={x(threshold)}
                  x2={x(threshold)}
                  y2={innerHeight}
                  stroke={palette.accent}
                  strokeDasharray="4 3"
                />
                <text x={x(threshold) + 4} y={12} fill={palette.accent}>
                  threshold {formatMse(threshold)}
                </text>
              </g>
            )}
            {info && hover && (
              <circle
                cx={hover.px}
                cy={hover.py}
                r={bandwidth}
                fill="none"
                stroke={palette.accent}
                strokeDasharray="2 2"
              />
            )}
          </g>
          <rect width={innerWidth} height={innerHeight} fill="none" stroke={theme.colors.border.medium} />
          {drawing.xTicks.map((v) => (
            <g key={v} transform={`translate(${x(v)},${innerHeight})`}>
              <line y2={5} stroke={theme.colors.border.strong} />
              <text y={17} textAnchor="middle" className={styles.tick}>
                {formatMse(v)}
              </text>
            </g>
          ))}
          {drawing.yTicks.map((v) => (
            <g key={v} transform={`translate(0,${y(v)})`}>
              <line x2={-5} stroke={theme.colors.border.strong} />
              <text x={-8} dy="0.32em" textAnchor="end" className={styles.tick}>
                {formatKpi(v)}
              </text>
            </g>
          ))}
          <text x={innerWidth / 2} y={innerHeight + 34} textAnchor="middle" className={styles.axisTitle}>
            {xTitle}
          </text>
          <text
            transform={`translate(${-MARGIN.left + 12},${innerHeight / 2}) rotate(-90)`}
            textAnchor="middle"
            className={styles.axisTitle}
          >
            {yTitle}
          </text>
          {count === 0 && (
            <text x={innerWidth / 2} y={innerHeight / 2} textAnchor="middle" fill={palette.ink}>
              {NO_POINTS}
            </text>
          )}
          <rect
            width={innerWidth}
            height={innerHeight}
            fill="transparent"
            data-testid="syrroca-radiography-hover"
            onMouseMove={(e) => {
              const r = e.currentTarget.getBoundingClientRect();
              setHover({ px: e.clientX - r.left, py: e.clientY - r.top });
            }}
            onMouseLeave={() => setHover(null)}
          />
        </g>
      </svg>
      {info && hover && options.tooltip.show && (
        <RadiographyTooltip
          group={group.name}
          info={info}
          mseName={group.mseName}
          kpiName={group.kpiName}
          formatMse={formatMse}
          formatKpi={formatKpi}
          count={count}
          bandwidth={bandwidth}
          style={tooltipPosition(hover.px, hover.py, innerWidth, innerHeight)}
        />
      )}
    </div>
  );
}

/** Beside the pointer, on the side with more room, so the tooltip stays inside the plot. */
function tooltipPosition(px: number, py: number, width: number, height: number): React.CSSProperties {
  const gap = 14;
  const left = px > width / 2;
  const up = py > height / 2;
  return {
    left: MARGIN.left + px + (left ? -gap : gap),
    top: MARGIN.top + py + (up ? -gap : gap),
    transform: `translate(${left ? '-100%' : '0'},${up ? '-100%' : '0'})`,
  };
}

const getStyles = (theme: GrafanaTheme2) => ({
  plot: css({ position: 'relative' }),
  title: css({ fill: theme.colors.text.primary, fontWeight: theme.typography.fontWeightMedium }),
  subtitle: css({ fill: theme.colors.text.secondary, fontWeight: 'normal' }),
  tick: css({ fill: theme.colors.text.secondary }),
  axisTitle: css({ fill: theme.colors.text.primary }),
});
