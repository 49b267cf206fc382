// Assembles page images into a PDF with pdf-lib: each page is one image, deflated by zlib with PNG's "up"
// row filter (PDF reads it back through the stream's predictor), and nothing else: no text, no fonts, no
// metadata, no dates, so the same pages always give the same bytes and the same sha256.
import { deflateSync } from 'node:zlib';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import type { Raster } from './pageRaster.ts';

/** PNG's "up" filter: each byte minus the one above it, after a filter-type byte per row. */
function upFiltered(raster: Raster): Buffer {
  const rowBytes = raster.width * raster.channels;
  const filtered = Buffer.alloc((rowBytes + 1) * raster.height);
  for (let y = 0; y < raster.height; y++) {
    const out = y * (rowBytes + 1);
    const row = y * rowBytes;
    filtered[out] = 2;
    for (let i = 0; i < rowBytes; i++) {
      const above = y > 0 ? raster.pixels[row - rowBytes + i]! : 0;
      filtered[out + 1 + i] = (raster.pixels[row + i]! - above) & 0xff;
    }
  }
  return filtered;
}

/** Builds the PDF page by page, so only one page's pixels are held at a time. */
export class ImagePdfBuilder {
  private constructor(private readonly document: PDFDocument) {}

  static async create(): Promise<ImagePdfBuilder> {
    // Without metadata: a creation date would give every rendition of the same pages another hash.
    return new ImagePdfBuilder(await PDFDocument.create({ updateMetadata: false }));
  }

  /** Adds a page showing the raster, sized so that it prints at `dpi`. */
  addPage(raster: Raster, dpi: number): void {
    const widthPt = (raster.width * 72) / dpi;
    const heightPt = (raster.height * 72) / dpi;
    const { context } = this.document;
    const image = context.stream(deflateSync(upFiltered(raster)), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: raster.width,
      Height: raster.height,
      ColorSpace: raster.channels === 1 ? 'DeviceGray' : 'DeviceRGB',
      BitsPerComponent: 8,
      Filter: 'FlateDecode',
      DecodeParms: { Predictor: 12, Colors: raster.channels, BitsPerComponent: 8, Columns: raster.width },
    });
    const page = this.document.addPage([widthPt, heightPt]);
    const name = page.node.newXObject('Page', context.register(image));
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(widthPt, 0, 0, heightPt, 0, 0),
      drawObject(name),
      popGraphicsState(),
    );
  }

  async save(): Promise<Buffer> {
    return Buffer.from(await this.document.save({ useObjectStreams: false }));
  }
}
