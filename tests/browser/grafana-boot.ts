/**
 * What Grafana's index.html sets before any plugin code loads: @grafana/runtime reads it when it is
 * first imported. Import this module first in a test page.
 */
declare global {
  interface Window {
    grafanaBootData?: unknown;
  }
}

window.grafanaBootData = { assets: { dark: '', light: '' }, settings: { featureToggles: {} }, user: {}, navTree: [] };

export {};
