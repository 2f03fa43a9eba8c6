import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { Stack, Text, TextLink } from '@grafana/ui';

/** What the app does and where its parts are, for an operator who just installed it. */
export function About() {
  return (
    <PluginPage>
      <Stack direction="column" gap={2}>
        <Text element="h2">Radiography of a containerized service</Text>
        <Text>
          One LSTM autoencoder per resource group (cpu, memory, network, filesystem) reconstructs the group&apos;s
          metrics. Its reconstruction error (MSE) says how abnormal the group is; the shares of that error per
          feature say which metrics explain it; the radiography panel plots the density of the error against a
          service KPI such as failed calls, to show whether the anomaly hurts the service.
        </Text>
        <Text>
          Add the <b>Syrroca radiography data source</b>, point it at your Prometheus data source, and use its
          query types (reconstruction, features, characterization, radiography) in dashboards. Alert rules need
          the <code>syrroca serve</code> exporter, which scores live data and exposes the same series to Prometheus.
        </Text>
        <TextLink href="https://grafana.com/docs/grafana/latest/administration/data-source-management/" external>
          Managing data sources in Grafana
        </TextLink>
      </Stack>
    </PluginPage>
  );
}
