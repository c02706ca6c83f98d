// glyph shows flags at 20×15 CSS px (40×30 on a 2× screen): in flag-icons' 640×480
// view, one unit is 1/16 of a device pixel. Coordinates are rounded to whole units and
// outline-only strokes thinner than 2 units (1/8 px) are dropped: neither can show.
import { detachNodeFromParent } from 'svgo/lib/xast.js';

export default {
  multipass: true,
  floatPrecision: 0,
  plugins: [
    { name: 'preset-default', params: { overrides: { removeViewBox: false } } },
    {
      name: 'dropHairlines',
      fn: () => ({
        element: {
          enter: (node, parent) => {
            const a = node.attributes;
            const w = parseFloat(a['stroke-width']);
            if (a.fill === 'none' && w < 2) detachNodeFromParent(node, parent);
          },
        },
      }),
    },
  ],
};
