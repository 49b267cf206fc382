// Charts for the statistics page, drawn on the server: Observable Plot renders into a linkedom document
// and the page gets the SVG, so the chart needs no JavaScript in the browser. Each chart has a table
// beside it with the same numbers (the table is what a screen reader and a copy-paste use).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

export interface Bar {
  label: string;
  orders: number;
}

function countTicks(bars: readonly Bar[]): number | number[] {
  const most = Math.max(0, ...bars.map((bar) => bar.orders));
  return most <= 10 ? Array.from({ length: most + 1 }, (_, count) => count) : 10;
}

/**
 * A horizontal bar chart of counts as an SVG string labelled for assistive tech: largest first, or in the
 * given order (months, oldest first).
 */
export function barChart(bars: readonly Bar[], title: string, keepOrder = false): string {
  const { document } = parseHTML('<!DOCTYPE html><html><body></body></html>');
  const longest = Math.max(0, ...bars.map((bar) => bar.label.length));
  const chart = Plot.plot({
    document: document as unknown as Document,
    width: 640,
    height: Math.max(80, 26 * bars.length + 40),
    marginLeft: Math.min(260, 12 + longest * 7),
    // Counts are whole: every integer while there are few, else about ten ticks; never a fraction.
    x: { label: null, grid: true, ticks: countTicks(bars), tickFormat: 'd' },
    // Labels are names, or months as YYYY-MM: categories, never parsed as dates.
    y: { label: null, type: 'band', ...(keepOrder ? { domain: bars.map((bar) => bar.label) } : {}) },
    marks: [
      Plot.barX(bars, {
        x: 'orders',
        y: 'label',
        fill: '#0b3d6e',
        ...(keepOrder ? {} : { sort: { y: '-x' } }),
      }),
      Plot.ruleX([0]),
    ],
  });
  // The chart is one image with one label; Plot's labels on its groups are not allowed inside an img.
  for (const labelled of chart.querySelectorAll('[aria-label]')) labelled.removeAttribute('aria-label');
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', title);
  return chart.outerHTML;
}

export interface HeatCell {
  row: string;
  column: string;
  orders: number;
}

/**
 * A heat map of counts (authorities down, months across): each cell's shade is its count, and its number
 * is written in it while the cells are wide enough to hold one. Rows and columns keep the given order.
 */
export function heatMap(
  cells: readonly HeatCell[],
  rows: readonly string[],
  columns: readonly string[],
  title: string,
): string {
  const { document } = parseHTML('<!DOCTYPE html><html><body></body></html>');
  const longest = Math.max(0, ...rows.map((row) => row.length));
  const marginLeft = Math.min(260, 12 + longest * 7);
  const width = 640;
  const cellWidth = (width - marginLeft) / Math.max(1, columns.length);
  const most = Math.max(1, ...cells.map((cell) => cell.orders));
  const chart = Plot.plot({
    document: document as unknown as Document,
    width,
    height: Math.max(100, 30 * rows.length + 70),
    marginLeft,
    marginBottom: 50,
    padding: 0.05,
    x: { label: null, type: 'band', domain: [...columns], tickRotate: -45 },
    y: { label: null, type: 'band', domain: [...rows] },
    // From zero, so the shades (and the figures' colour) say how many, not how many more than the least.
    color: { type: 'sqrt', scheme: 'blues', domain: [0, most] },
    marks: [
      Plot.cell(cells, { x: 'column', y: 'row', fill: 'orders', title: (cell: HeatCell) => cell.orders }),
      ...(cellWidth >= 34
        ? [
            Plot.text(cells, {
              x: 'column',
              y: 'row',
              text: (cell: HeatCell) => String(cell.orders),
              // Dark shades carry white figures, light ones dark figures.
              fill: (cell: HeatCell) =>
                Math.sqrt(cell.orders) > 0.6 * Math.sqrt(most) ? 'white' : '#1b1b1b',
              fontSize: 10,
            }),
          ]
        : []),
    ],
  });
  for (const labelled of chart.querySelectorAll('[aria-label]')) labelled.removeAttribute('aria-label');
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', title);
  return chart.outerHTML;
}
