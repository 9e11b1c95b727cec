// Renaming of ids when SVG charts are inlined into one page.

import { describe, expect, it } from 'vitest';
import { namespaceSvgIds } from '../../src/report/inline-svg.js';

describe('namespaceSvgIds', () => {
  it('renumbers ids under a prefix and rewrites their references', () => {
    const svg =
      '<svg><path fill="url(#gradient_7)"/><use xlink:href="#clip3"/><defs><linearGradient id="gradient_7"/><clipPath id="clip3"/></defs></svg>';
    expect(namespaceSvgIds(svg, 'cm-')).toBe(
      '<svg><path fill="url(#cm-0)"/><use xlink:href="#cm-1"/><defs><linearGradient id="cm-0"/><clipPath id="cm-1"/></defs></svg>',
    );
  });

  it('leaves an SVG without ids unchanged', () => {
    expect(namespaceSvgIds('<svg><rect width="1"/></svg>', 'x-')).toBe('<svg><rect width="1"/></svg>');
  });
});
