// Places redactions on a page with a text layer: pdf.js's text items (each a run of text with its
// transform, width and font) are joined into the page text exactly as pdf-parse joins them for the
// archive, so an offset in the stored text names a character of an item; the item's geometry gives its
// rectangle in the raster's pixels. Inside an item the glyph widths are unknown, so the gaps between
// words are found in the rendered pixels (the ink), and only inside a word is a position estimated.
import { foldText, findLoosely } from './looseMatch.ts';
import { inkAt, type PixelBox, type Raster } from './pageRaster.ts';

/** The parts of pdf.js's objects this module reads (pdf-parse does not export pdf.js's types). */
export interface PdfJsTextItem {
  str: string;
  /** [a, b, c, d, e, f]: the text's matrix in PDF user space, font size included. */
  transform: number[];
  /** The advance of the whole run, in user space. */
  width: number;
  height: number;
  hasEOL: boolean;
  fontName: string;
}

export interface PdfJsViewport {
  width: number;
  height: number;
  convertToViewportPoint(x: number, y: number): number[];
}

export interface PdfJsPage {
  /** The crop box in user space: [x0, y0, x1, y1]. */
  view: number[];
  rotate: number;
  getViewport(parameters: { scale: number }): PdfJsViewport;
  getTextContent(parameters: { includeMarkedContent: boolean; disableNormalization: boolean }): Promise<{
    items: unknown[];
    styles: Record<string, { ascent?: number; descent?: number; vertical?: boolean }>;
  }>;
  cleanup(): void;
}

/** pdf-parse's defaults for joining items into a page's text (ParseParameters.ts in pdf-parse 2.4). */
const LINE_THRESHOLD = 4.6;
const CELL_THRESHOLD = 7;
const CELL_SEPARATOR = '\t';

/** Where a character of the joined text came from: an item and a character in it, or -1 (a break we added). */
export interface TextLayer {
  /** The page's text as pdf-parse gives it to the archive, before the extractor trims it. */
  text: string;
  items: PdfJsTextItem[];
  styles: Record<string, { ascent?: number; descent?: number; vertical?: boolean }>;
  itemOf: Int32Array;
  charOf: Int32Array;
}

function isTextItem(item: unknown): item is PdfJsTextItem {
  const candidate = item as PdfJsTextItem | null;
  return typeof candidate?.str === 'string' && Array.isArray(candidate.transform);
}

/**
 * The page text, joined as pdf-parse's getPageText does with its default parameters (a line break where
 * the baseline moves, a tab between cells of one line), with every character's origin.
 */
export async function readTextLayer(page: PdfJsPage): Promise<TextLayer> {
  const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
  const viewport = page.getViewport({ scale: 1 });
  const items = content.items.filter(isTextItem);
  let text = '';
  const itemOf: number[] = [];
  const charOf: number[] = [];
  const addBreak = (piece: string) => {
    text += piece;
    for (let i = 0; i < piece.length; i++) {
      itemOf.push(-1);
      charOf.push(-1);
    }
  };
  let lastPiece: string | undefined;
  let lastX: number | undefined;
  let lastY: number | undefined;
  let lineHeight = 0;
  for (const [index, item] of items.entries()) {
    const [x = 0, y = 0] = viewport.convertToViewportPoint(item.transform[4] ?? 0, item.transform[5] ?? 0);
    if (lastY !== undefined && Math.abs(lastY - y) > LINE_THRESHOLD) {
      const startsLine = item.str.startsWith('\n') || (item.str.trim() === '' && item.hasEOL);
      if (lastPiece?.endsWith('\n') === false && !startsLine && Math.abs(lastY - y) - 1 > lineHeight) {
        addBreak('\n');
        lastPiece = '\n';
        lineHeight = 0;
      }
    }
    let prefix = '';
    if (lastY !== undefined && Math.abs(lastY - y) < LINE_THRESHOLD) {
      if (lastX !== undefined && Math.abs(lastX - x) > CELL_THRESHOLD) prefix = CELL_SEPARATOR;
    }
    addBreak(prefix);
    text += item.str;
    for (let i = 0; i < item.str.length; i++) {
      itemOf.push(index);
      charOf.push(i);
    }
    lastPiece = prefix + item.str;
    lastX = x + item.width;
    lastY = y;
    lineHeight = Math.max(lineHeight, item.height);
    if (item.hasEOL) {
      addBreak('\n');
      lastPiece = '\n';
    }
    if (item.hasEOL || item.str.endsWith('\n')) lineHeight = 0;
  }
  return {
    text,
    items,
    styles: content.styles,
    itemOf: Int32Array.from(itemOf),
    charOf: Int32Array.from(charOf),
  };
}

/** A span of the layer's text, [start, end) in UTF-16 code units. */
export interface TextSpan {
  start: number;
  end: number;
}

/**
 * Where a redaction of the stored page text lies in the layer's text. The extractor stored the text
 * trimmed (and without NUL characters): when the layer still reads the same, the offsets carry over;
 * otherwise (a different pdf.js, an edited text) every place the redacted string occurs loosely is
 * taken, since covering the same personal data twice does no harm.
 */
export function spansInLayer(
  layer: TextLayer,
  storedText: string | undefined,
  redaction: { text: string; start?: number; end?: number },
): TextSpan[] {
  const leading = layer.text.length - layer.text.trimStart().length;
  const layerAsStored = layer.text.trim().replaceAll('\u0000', '');
  if (
    storedText !== undefined &&
    redaction.start !== undefined &&
    redaction.end !== undefined &&
    layerAsStored === storedText &&
    !layer.text.includes('\u0000') &&
    storedText.slice(redaction.start, redaction.end) === redaction.text
  ) {
    return [{ start: redaction.start + leading, end: redaction.end + leading }];
  }
  const haystack = foldText(layer.text);
  const needle = foldText(redaction.text);
  return findLoosely(haystack.folded, needle.folded).map((match) => ({
    start: haystack.sourceIndex[match.start]!,
    end: haystack.sourceIndex[match.end - 1]! + 1,
  }));
}

/**
 * Relative advance widths of characters, for estimating a position inside a word when the font's own
 * widths are unknown: narrow punctuation and i/l/t, wide m/w and capitals, the rest in between.
 */
function advanceWeight(char: string): number {
  if (char === ' ' || char === '\t') return 0.28;
  if (".,:;'|!ilIjtfr()[]".includes(char)) return 0.3;
  if ('mwMWШЩЖЮМЫФшщжюмыф@%'.includes(char)) return 0.85;
  if (/[0-9]/.test(char)) return 0.556;
  if (char !== char.toLowerCase()) return 0.68;
  return 0.52;
}

interface ItemPixels {
  /** x in pixels of the boundary before character k (k = 0..n), along a horizontal baseline. */
  boundary: (k: number) => number;
  top: number;
  bottom: number;
  fontPx: number;
  /** The rectangle of characters [from, to) when the text is not horizontal (estimate only). */
  slantedBox: (from: number, to: number) => PixelBox;
  horizontal: boolean;
}

function itemPixels(layer: TextLayer, item: PdfJsTextItem, viewport: PdfJsViewport): ItemPixels | null {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform;
  const length = Math.hypot(a, b);
  if (!(length > 0) || !(item.width > 0)) return null;
  const style = layer.styles[item.fontName] ?? {};
  // Fonts understate their reach now and then (accents over capitals, a scan's OCR font over the
  // picture of the text): never less than most fonts' real extent.
  const ascent = Math.max(style.ascent ?? 0, 0.8);
  const descent = Math.min(style.descent ?? 0, -0.22);
  // Weights per UTF-16 unit, so `k` counts as item.str does (a surrogate pair's second half weighs 0).
  const cumulative = [0];
  for (const char of item.str) {
    cumulative.push(cumulative.at(-1)! + advanceWeight(char));
    if (char.length === 2) cumulative.push(cumulative.at(-1)!);
  }
  const total = cumulative.at(-1)! || 1;
  const along = (k: number) =>
    (item.width * cumulative[Math.max(0, Math.min(k, cumulative.length - 1))]!) / total;
  const point = (s: number, t: number) =>
    viewport.convertToViewportPoint(e + (a / length) * s + c * t, f + (b / length) * s + d * t) as [
      number,
      number,
    ];
  const box = (s0: number, s1: number): PixelBox => {
    const corners = [point(s0, descent), point(s0, ascent), point(s1, descent), point(s1, ascent)];
    const xs = corners.map(([x]) => x);
    const ys = corners.map(([, y]) => y);
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
  };
  const [x0, y0] = point(0, 0);
  const [x1, y1] = point(item.width, 0);
  const horizontal = x1 > x0 && Math.abs(y1 - y0) < 0.05 * (x1 - x0) && !style.vertical;
  const whole = box(0, item.width);
  return {
    boundary: (k) => x0 + ((x1 - x0) * along(k)) / item.width,
    top: whole.y,
    bottom: whole.y + whole.height,
    fontPx: Math.hypot(...point(0, 1).map((value, i) => value - [x0, y0][i]!)),
    slantedBox: (from, to) => {
      const margin = (item.width / total) * 0.6;
      return box(Math.max(0, along(from) - margin), Math.min(item.width, along(to) + margin));
    },
    horizontal,
  };
}

/** Columns of the band that hold ink, for finding the gaps between words. */
function inkColumns(raster: Raster, left: number, right: number, top: number, bottom: number): boolean[] {
  const columns: boolean[] = [];
  const y0 = Math.max(0, Math.floor(top));
  const y1 = Math.min(raster.height, Math.ceil(bottom));
  for (let x = left; x < right; x++) {
    let ink = false;
    if (x >= 0 && x < raster.width) {
      for (let y = y0; y < y1 && !ink; y++) ink = inkAt(raster, x, y) > 100;
    }
    columns.push(ink);
  }
  return columns;
}

interface Gap {
  start: number;
  end: number;
}

function gapsIn(columns: boolean[], offset: number, minWidth: number): Gap[] {
  const gaps: Gap[] = [];
  let start = -1;
  for (let i = 0; i <= columns.length; i++) {
    const ink = i === columns.length ? true : columns[i];
    if (!ink && start < 0) start = i;
    if (ink && start >= 0) {
      // A blank run touching the band's edge is margin, not a gap between words.
      if (start > 0 && i < columns.length && i - start >= minWidth) {
        gaps.push({ start: offset + start, end: offset + i });
      }
      start = -1;
    }
  }
  return gaps;
}

interface WordExtent {
  start: number;
  end: number;
  left: number;
  right: number;
}

/**
 * The pixel extent of every word of a horizontal item. The item's two ends are exact (its origin and
 * its advance); each space between words is matched to the blank gap in the ink nearest to where the
 * estimate puts it, preferring wide gaps; a space with no such gap keeps the estimate.
 */
function wordExtents(item: PdfJsTextItem, pixels: ItemPixels, raster: Raster | undefined): WordExtent[] {
  const words = [...item.str.matchAll(/\S+/g)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
  const extents = words.map((word) => ({
    ...word,
    left: pixels.boundary(word.start),
    right: pixels.boundary(word.end),
  }));
  if (!raster || words.length < 2) return extents;
  const left = Math.floor(pixels.boundary(0));
  const right = Math.ceil(pixels.boundary(item.str.length));
  const columns = inkColumns(raster, left, right, pixels.top, pixels.bottom);
  const gaps = gapsIn(columns, left, Math.max(2, Math.round(0.1 * pixels.fontPx)));
  const tolerance = Math.max(4, 0.9 * pixels.fontPx);
  let after = left;
  for (let i = 0; i + 1 < extents.length; i++) {
    const current = extents[i]!;
    const next = extents[i + 1]!;
    const expected = (current.right + next.left) / 2;
    let best: Gap | undefined;
    let bestScore = -Infinity;
    for (const gap of gaps) {
      if (gap.start < after) continue;
      const distance = Math.abs((gap.start + gap.end) / 2 - expected);
      if (distance > tolerance) continue;
      const score = gap.end - gap.start - 0.5 * distance;
      if (score > bestScore) {
        best = gap;
        bestScore = score;
      }
    }
    if (best) {
      current.right = best.start;
      next.left = best.end;
      after = best.end;
    }
  }
  return extents;
}

/** The box of characters [from, to) of one item, in the raster's pixels. */
function itemSpanBox(
  item: PdfJsTextItem,
  pixels: ItemPixels,
  from: number,
  to: number,
  raster: Raster | undefined,
): PixelBox | null {
  // Only the characters that are not blank count: a span may start on a space.
  while (from < to && /\s/.test(item.str[from]!)) from++;
  while (to > from && /\s/.test(item.str[to - 1]!)) to--;
  if (from >= to) return null;
  if (!pixels.horizontal) return pixels.slantedBox(from, to);
  const extents = wordExtents(item, pixels, raster);
  const first = extents.find((word) => word.end > from);
  const last = [...extents].reverse().find((word) => word.start < to);
  if (!first || !last) return null;
  // Inside a word the estimate stands, widened by half a character on the side of the redaction.
  const halfChar = 0.3 * pixels.fontPx;
  const within = (word: WordExtent, k: number) => {
    const estimatedLeft = pixels.boundary(word.start);
    const estimatedWidth = pixels.boundary(word.end) - estimatedLeft || 1;
    return word.left + ((pixels.boundary(k) - estimatedLeft) / estimatedWidth) * (word.right - word.left);
  };
  const x0 = from <= first.start ? first.left : within(first, from) - halfChar;
  const x1 = to >= last.end ? last.right : within(last, to) + halfChar;
  return { x: x0, y: pixels.top, width: Math.max(1, x1 - x0), height: pixels.bottom - pixels.top };
}

/**
 * The boxes covering a span of the layer's text, one per item it touches, in the pixels of a raster
 * rendered at `viewport`'s scale (pass that raster to find the gaps between words in its ink).
 */
export function boxesForSpan(
  layer: TextLayer,
  span: TextSpan,
  viewport: PdfJsViewport,
  raster?: Raster,
): PixelBox[] {
  const ranges = new Map<number, { from: number; to: number }>();
  for (let k = span.start; k < span.end && k < layer.text.length; k++) {
    const item = layer.itemOf[k]!;
    if (item < 0) continue;
    const char = layer.charOf[k]!;
    const range = ranges.get(item);
    if (range) {
      range.from = Math.min(range.from, char);
      range.to = Math.max(range.to, char + 1);
    } else {
      ranges.set(item, { from: char, to: char + 1 });
    }
  }
  const boxes: PixelBox[] = [];
  for (const [index, { from, to }] of ranges) {
    const item = layer.items[index]!;
    const pixels = itemPixels(layer, item, viewport);
    const box = pixels && itemSpanBox(item, pixels, from, to, raster);
    if (box) boxes.push(box);
  }
  return boxes;
}
