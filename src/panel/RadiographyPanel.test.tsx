import { createDataFrame, createTheme, FieldType, ThemeContext } from '@grafana/data';
import { fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';

import { RadiographyPanel } from './RadiographyPanel';
import { panelProps, radiographyFrames } from './testing/fixtures';
import type { Options } from './types';

function mount(series = radiographyFrames(), options: Partial<Options> = {}) {
  return render(
    <ThemeContext.Provider value={createTheme({ colors: { mode: 'light' } })}>
      <RadiographyPanel {...panelProps(series, options)} />
    </ThemeContext.Provider>
  );
}

describe('RadiographyPanel', () => {
  it('draws one radiography per group, each with its filled contours and axes titled by the fields', () => {
    mount();
    const plots = screen.getAllByTestId('syrroca-radiography-plot');
    expect(plots).toHaveLength(2);
    expect(plots[0]).toHaveTextContent('cpu · 185 anomalous points');
    expect(plots[1]).toHaveTextContent('memory · 110 anomalous points');
    for (const plot of plots) {
      expect(plot.querySelectorAll('path[data-level]')).toHaveLength(10);
      expect(plot).toHaveTextContent('failed calls');
    }
    expect(plots[0]).toHaveTextContent('MSE cpu');
    expect(plots[1]).toHaveTextContent('MSE memory');
    expect(screen.getByTestId('syrroca-radiography-legend')).toHaveTextContent('Density');
  });

  it('draws only the chosen group', () => {
    mount(undefined, { group: 'memory' });
    expect(screen.getAllByTestId('syrroca-radiography-plot')).toHaveLength(1);
  });

  it('marks each group’s threshold and overlays the points on request', () => {
    mount(undefined, { showPoints: true });
    const [cpu] = screen.getAllByTestId('syrroca-radiography-plot');
    expect(within(cpu).getByTestId('syrroca-radiography-threshold')).toHaveTextContent('threshold 0.0200');
    expect(cpu.querySelectorAll('circle')).toHaveLength(185);
  });

  it('leaves the threshold out when the option is off', () => {
    mount(undefined, { showThreshold: false });
    expect(screen.queryByTestId('syrroca-radiography-threshold')).toBeNull();
  });

  it('tells that there are no anomalous points in this range', () => {
    const frames = radiographyFrames();
    for (const frame of frames) {
      frame.fields[3].values = frame.fields[3].values.map(() => false);
    }
    mount(frames);
    expect(screen.getByTestId('syrroca-radiography-empty')).toHaveTextContent('No anomalous points in this range');
  });

  it('tells that there is no KPI field', () => {
    const frame = createDataFrame({ fields: [{ name: 'mse', type: FieldType.number, values: [1, 2] }] });
    mount([frame]);
    expect(screen.getByTestId('syrroca-radiography-empty')).toHaveTextContent('No KPI field');
  });

  it('shows group and field names as text, never as markup', () => {
    const name = '<img src=x onerror=alert(1)>';
    const frame = createDataFrame({
      name,
      fields: [
        { name: 'mse', type: FieldType.number, values: [1, 2, 3] },
        { name: '<b>calls</b>', type: FieldType.number, values: [1, 2, 2] },
      ],
    });
    const { container } = mount([frame]);
    expect(container.querySelector('img, b')).toBeNull();
    expect(screen.getByTestId('syrroca-radiography-plot')).toHaveTextContent(name);
    expect(screen.getByTestId('syrroca-radiography-plot')).toHaveTextContent('<b>calls</b>');
  });

  it('shows hostile group and field names in the tooltip as text, never as markup', () => {
    const payload = '<img src=x onerror=alert(1)>';
    const series = radiographyFrames().map((frame) => ({
      ...frame,
      name: `${payload}${frame.name}`,
      fields: frame.fields.map((field) => ({
        ...field,
        name: `"><svg onload=alert(1)>${field.name}`,
        config: { ...field.config, displayName: `"><svg onload=alert(1)>${field.config.displayName ?? field.name}` },
      })),
    }));
    const { container } = mount(series);
    const area = screen.getAllByTestId('syrroca-radiography-hover')[0];
    fireEvent.mouseMove(area, { clientX: 100, clientY: 100 });
    const tip = screen.getByTestId('syrroca-radiography-tooltip');
    expect(tip).toHaveTextContent(payload);
    expect(tip).toHaveTextContent('"><svg onload=alert(1)>');
    expect(container.querySelector('img, svg[onload], [onerror], [onload]')).toBeNull();
  });

  it('shows MSE, KPI, density and the points nearby under the pointer', () => {
    mount(undefined, { group: 'cpu' });
    const area = screen.getByTestId('syrroca-radiography-hover');
    // jsdom lays nothing out: the plot area's box starts at (0, 0), so client = plot pixels.
    fireEvent.mouseMove(area, { clientX: 100, clientY: 100 });
    const tip = screen.getByTestId('syrroca-radiography-tooltip');
    expect(tip).toHaveTextContent('cpu');
    expect(tip).toHaveTextContent('MSE cpu');
    expect(tip).toHaveTextContent('failed calls');
    expect(tip).toHaveTextContent(/Density\d+% of peak/);
    expect(tip).toHaveTextContent(/Points nearby\d+ of 185 \(within 20 px\)/);
    fireEvent.mouseLeave(area);
    expect(screen.queryByTestId('syrroca-radiography-tooltip')).toBeNull();
  });
});
