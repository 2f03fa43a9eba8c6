import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

import type { HoverInfo } from './hover';

interface Props {
  group: string;
  info: HoverInfo;
  mseName: string;
  kpiName: string;
  formatMse: (v: number) => string;
  formatKpi: (v: number) => string;
  /** Anomalous points of the group, and the bandwidth that defines "nearby". */
  count: number;
  bandwidth: number;
  style: React.CSSProperties;
}

/** MSE, KPI, density and point count at the pointer; names come from the data and are rendered as text. */
export function RadiographyTooltip({
  group,
  info,
  mseName,
  kpiName,
  formatMse,
  formatKpi,
  count,
  bandwidth,
  style,
}: Props) {
  const styles = useStyles2(getStyles);
  const rows: Array<[string, string]> = [
    [mseName, formatMse(info.mse)],
    [kpiName, formatKpi(info.kpi)],
    ['Density', `${Math.round(info.relative * 100)}% of peak`],
    ['Points nearby', `${info.near} of ${count} (within ${bandwidth} px)`],
  ];
  return (
    <div className={styles.tooltip} style={style} role="tooltip" data-testid="syrroca-radiography-tooltip">
      <div className={styles.header}>{group}</div>
      <table>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th className={styles.label}>{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({
    position: 'absolute',
    pointerEvents: 'none',
    zIndex: theme.zIndex.tooltip,
    padding: theme.spacing(1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    color: theme.colors.text.primary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
  }),
  header: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
  label: css({
    color: theme.colors.text.secondary,
    fontWeight: 'normal',
    textAlign: 'left',
    paddingRight: theme.spacing(2),
  }),
});
