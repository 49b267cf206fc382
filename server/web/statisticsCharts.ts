// Charts for the statistics page, drawn on the server: Observable Plot renders into a linkedom document
// and the page gets the SVG, so the chart needs no JavaScript in the browser. Each chart has a table
// beside it with the same numbers (the table is what a screen reader and a copy-paste use).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

export interface Bar {
  label: string;
  orders: number;
}

/** A horizontal bar chart of counts, largest first, as an SVG string with a title for assistive tech. */
export function barChart(bars: readonly Bar[], title: string): string {
  const { document } = parseHTML('<!DOCTYPE html><html><body></body></html>');
  const longest = Math.max(0, ...bars.map((bar) => bar.label.length));
  const chart = Plot.plot({
    document: document as unknown as Document,
    width: 640,
    height: Math.max(80, 26 * bars.length + 40),
    marginLeft: Math.min(260, 12 + longest * 7),
    x: { label: null, grid: true },
    y: { label: null },
    marks: [
      Plot.barX(bars, { x: 'orders', y: 'label', fill: '#0b3d6e', sort: { y: '-x' } }),
      Plot.ruleX([0]),
    ],
  });
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', title);
  return chart.outerHTML;
}
