/**
 * Test page for the README's screenshot: the radiography panel in real Chromium, on the frames the data
 * source builds from real scores (`syrroca score` JSONL) and the simulated failed calls. Importing the
 * panel test page brings its probes and pixel inspection (window.syrrocaProbes, window.syrrocaInspect);
 * importing the dashboard page brings window.syrrocaMountDashboard.
 */
import { createTheme, ThemeContext } from '@grafana/data';
import React from 'react';
import { createRoot } from 'react-dom/client';

import type { GroupScore } from '../../src/core/types';
import { radiographyFrames } from '../../src/datasource/frames';
import { RadiographyPanel } from '../../src/panel/RadiographyPanel';
import { panelProps } from '../../src/panel/testing/fixtures';
import type { Options } from '../../src/panel/types';
import './dashboard.entry';
import './panel.entry';

export interface ScoresRequest {
  theme: 'light' | 'dark';
  scores: GroupScore[];
  kpi: { t: number[]; values: number[]; name: string };
  options?: Partial<Options>;
  width: number;
  height: number;
}

declare global {
  interface Window {
    syrrocaMountScores(request: ScoresRequest): void;
  }
}

window.syrrocaMountScores = ({ theme: mode, scores, kpi, options, width, height }) => {
  const theme = createTheme({ colors: { mode } });
  // A Grafana panel on the dashboard canvas.
  document.body.style.background = theme.colors.background.canvas;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;
  const frames = radiographyFrames(scores, kpi, 'A');
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>
      <div
        id="panel"
        style={{
          width,
          height,
          padding: 8,
          boxSizing: 'border-box',
          background: theme.colors.background.primary,
          border: `1px solid ${theme.colors.border.weak}`,
          borderRadius: theme.shape.radius.default,
        }}
      >
        <RadiographyPanel {...panelProps(frames, options, width - 18, height - 18)} />
      </div>
    </ThemeContext.Provider>
  );
};
