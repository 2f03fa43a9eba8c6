/**
 * What Grafana's index.html sets before any plugin code loads: @grafana/runtime reads it when it is
 * first imported. Import this module first in a test page.
 */
// A cast, not a `declare global`: @grafana/plugin-e2e already declares the (stricter) global type.
(window as unknown as { grafanaBootData: unknown }).grafanaBootData = {
  assets: { dark: '', light: '' },
  settings: { featureToggles: {} },
  user: {},
  navTree: [],
};

export {};
