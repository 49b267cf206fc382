// The authority × month table's shape: which authorities get a column, what "other" holds, which months
// are rows; every order of the shown months lands in exactly one cell.
import { describe, expect, it } from 'vitest';
import { authorityMonthMatrix } from '../../server/web/statisticsMatrix.ts';

describe('authorityMonthMatrix', () => {
  it('keeps the busiest authorities, folds the rest into "other", and keeps the latest months', () => {
    const rows = [
      { authority: 'a', month: '2024-01', orders: 5 },
      { authority: 'a', month: '2024-03', orders: 5 },
      { authority: 'b', month: '2024-02', orders: 7 },
      { authority: 'c', month: '2024-03', orders: 2 },
      { authority: 'd', month: '2024-03', orders: 1 },
      { authority: null, month: '2023-12', orders: 1 },
      { authority: 'a', month: null, orders: 4 },
    ];
    const matrix = authorityMonthMatrix(rows, { authorities: 2, months: 3 });
    expect(matrix.columns).toEqual([
      { kind: 'authority', slug: 'a' },
      { kind: 'authority', slug: 'b' },
      { kind: 'other', authorities: 3 },
    ]);
    // 2023-12 is left out (older than the three latest); orders of no known date come last.
    expect(matrix.months).toEqual(['2024-01', '2024-02', '2024-03', null]);
    expect(matrix.monthsLeftOut).toBe(1);
    expect(matrix.counts).toEqual([
      [5, 0, 0],
      [0, 7, 0],
      [5, 0, 3],
      [4, 0, 0],
    ]);
    expect(matrix.totals).toEqual([5, 7, 8, 4]);
  });

  it('names a single remaining authority instead of calling it "other"', () => {
    const rows = [
      { authority: 'a', month: '2024-01', orders: 3 },
      { authority: 'b', month: '2024-01', orders: 2 },
      { authority: 'c', month: '2024-01', orders: 1 },
    ];
    const matrix = authorityMonthMatrix(rows, { authorities: 2, months: 24 });
    expect(matrix.columns.map((column) => column.kind)).toEqual(['authority', 'authority', 'authority']);
    expect(matrix.counts).toEqual([[3, 2, 1]]);
    expect(authorityMonthMatrix([], { authorities: 2, months: 24 })).toMatchObject({
      months: [],
      columns: [],
    });
  });
});
