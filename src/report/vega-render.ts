// Renders a Vega-Lite specification to an SVG string in Node, offline: vega's headless SVG output
// (renderer 'none', no canvas) with a loader that refuses every URL, so no data or font is fetched.

import { type Loader, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ConfigError } from '../core/errors.js';

function refuse(uri: string): never {
  throw new ConfigError(
    `report charts render offline: refusing to load ${JSON.stringify(uri)} (inline the data instead)`,
  );
}

const offlineLoader: Loader = {
  load: async (uri) => refuse(uri),
  sanitize: async (uri) => refuse(uri),
  http: async (uri) => refuse(uri),
  file: async (filename) => refuse(filename),
};

/**
 * The SVG document (`<svg xmlns=...>...</svg>`) of a Vega-Lite spec whose data are inline
 * `values`. Text widths are estimated (there is no canvas to measure them).
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none', loader: offlineLoader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
