import { render, screen, fireEvent } from '@testing-library/react';
import { dateTime, LoadingState, type DataSourceSettings } from '@grafana/data';
import React from 'react';

import type { RadiographyDataSource } from '../datasource';
import { manifest } from '../testing/fixtures';
import type { RadiographyOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';
import { QueryEditor } from './QueryEditor';

// Real tfjs and Grafana's components are slow to start on a busy machine: no test here is about speed.
jest.setTimeout(30_000);

jest.mock('@grafana/runtime', () => ({
  DataSourcePicker: ({ current }: { current?: string }) => <div>{`Prometheus picker: ${current ?? 'none'}`}</div>,
  getTemplateSrv: () => ({ getVariables: () => [{ name: 'group' }] }),
}));

const settings = (jsonData: RadiographyOptions) =>
  ({ jsonData, secureJsonFields: {} }) as DataSourceSettings<RadiographyOptions>;

describe('ConfigEditor', () => {
  it('asks for the models URL only when the models come from a URL', () => {
    const { rerender } = render(
      <ConfigEditor options={settings({ prometheusUid: 'p' })} onOptionsChange={jest.fn()} />
    );
    expect(screen.getByText('Prometheus picker: p')).toBeInTheDocument();
    expect(screen.queryByText('Models URL')).not.toBeInTheDocument();
    rerender(<ConfigEditor options={settings({ modelSource: 'url' })} onOptionsChange={jest.fn()} />);
    expect(screen.getByText('Models URL')).toBeInTheDocument();
  });

  it('keeps the other settings when one changes', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor options={settings({ prometheusUid: 'p', backend: 'wasm' })} onOptionsChange={onOptionsChange} />
    );
    fireEvent.change(screen.getByPlaceholderText('e.g. vims'), { target: { value: 'ims' } });
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({ jsonData: { prometheusUid: 'p', backend: 'wasm', namespace: 'ims' } })
    );
  });
});

describe('ConfigEditor and the models credential', () => {
  const urlSettings = (secureJsonFields: Record<string, boolean> = {}, modelsUrl = 'https://models.example/m/') =>
    ({ jsonData: { modelSource: 'url', modelsUrl }, secureJsonFields }) as DataSourceSettings<RadiographyOptions>;

  it('keeps the authorization of the models URL in secureJsonData, never in jsonData', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={urlSettings()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByPlaceholderText('Bearer <token>'), { target: { value: 'Bearer s3cret' } });
    const saved = onOptionsChange.mock.calls[0][0];
    expect(saved.secureJsonData).toEqual({ modelsAuthorization: 'Bearer s3cret' });
    expect(saved.jsonData).toEqual({ modelSource: 'url', modelsUrl: 'https://models.example/m/' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('s3cret');
  });

  it('shows a stored secret as configured without its value, and resets it', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={urlSettings({ modelsAuthorization: true })} onOptionsChange={onOptionsChange} />);
    expect(screen.getByDisplayValue('configured')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange.mock.calls[0][0]).toMatchObject({
      secureJsonFields: { modelsAuthorization: false },
      secureJsonData: { modelsAuthorization: '' },
    });
  });

  it('warns when the models URL itself holds a user or password, which jsonData would store in plain text', () => {
    render(<ConfigEditor options={urlSettings({}, 'https://ops:pw@models.example/m/')} onOptionsChange={jest.fn()} />);
    expect(screen.getByText(/holds a user or password/)).toBeInTheDocument();
  });

  it("adds the secret on Grafana's server, through the models route, from secureJsonData only", () => {
    const plugin = require('../plugin.json');
    const route = plugin.routes.find((r: { path: string }) => r.path === 'models');
    expect(route.headers).toEqual([{ name: 'Authorization', content: '{{ .SecureJsonData.modelsAuthorization }}' }]);
    expect(JSON.stringify(plugin.routes)).not.toMatch(
      /(?<!Secure)JsonData\.(?!modelsUrl)\w*(auth|password|token|secret)/i
    );
  });
});

describe('QueryEditor', () => {
  beforeAll(() => {
    // jsdom has no canvas; auto-sized comboboxes measure their text with one.
    HTMLCanvasElement.prototype.getContext = (() => ({
      measureText: (text: string) => ({ width: 7 * text.length }),
    })) as never;
  });

  const datasource = {
    modelManifests: () => Promise.resolve([manifest({ group: 'cpu' })]),
    kpiQuery: () => '',
  } as unknown as RadiographyDataSource;

  it("states what the models expect and explains the last run's mismatch", async () => {
    const data = {
      state: LoadingState.Error,
      series: [],
      timeRange: { from: dateTime(0), to: dateTime(1), raw: { from: 'now-1h', to: 'now' } },
      errors: [{ refId: 'A', message: 'the data lacks 1 feature(s)', data: { error: 'artifact-mismatch' } }],
    };
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'radiography', groups: ['$group'] }}
        data={data}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(
      await screen.findByText(
        'Models: cpu: a step of 30 s and windows of 10 steps (5 min of history).',
        {},
        { timeout: 10_000 }
      )
    ).toBeInTheDocument();
    expect(screen.getByText(/features do not fit the data/)).toBeInTheDocument();
    expect(screen.getByPlaceholderText('sum(sipp_failed_calls)')).toBeInTheDocument();
  });

  it('asks for a KPI only for the radiography', async () => {
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'features' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    await screen.findByText(/^Models: /, {}, { timeout: 10_000 });
    expect(screen.queryByPlaceholderText('sum(sipp_failed_calls)')).not.toBeInTheDocument();
  });

  it('asks a forecast for its series, windows and training size, and says when st <= w before it runs', async () => {
    const onChange = jest.fn();
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'forecast', expr: 'sum(calls)', forecast: { windows: '60', train: 60 } }}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    await screen.findByText(/^Models: /, {}, { timeout: 10_000 });
    expect(screen.queryByText('Groups')).not.toBeInTheDocument();
    expect(
      screen.getByText(/the training size st = 60 must be larger than every window w \(st > w\)/)
    ).toBeInTheDocument();
    fireEvent.change(screen.getByPlaceholderText('60,360'), { target: { value: '30' } });
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ forecast: { windows: '30', train: 60 }, expr: 'sum(calls)' })
    );
  });
});
