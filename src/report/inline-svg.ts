// Makes a standalone SVG document safe to inline next to others in one HTML page.

/**
 * Renames every `id` of the SVG to `<prefix><n>` (n = 0, 1, ... in order of appearance) and
 * rewrites the `url(#...)` and `href="#..."` references to them. Vega numbers gradients with a
 * process-wide counter, so without this two inline charts could share an id (one painting with
 * the other's gradient) and the same report rendered twice would differ.
 */
export function namespaceSvgIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  for (const match of svg.matchAll(/\bid="([^"]+)"/g)) {
    const id = match[1]!; // the group is not optional
    if (!names.has(id)) names.set(id, `${prefix}${names.size}`);
  }
  const rename = (id: string) => names.get(id) ?? id;
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${rename(id)}"`);
}
