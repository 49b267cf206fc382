// Builds scanned-looking images of text the tests write: PNG pages and a multi-page TIFF.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bornDigitalPdf, renderPages } from './pdfFixtures.ts';

/** One greyscale PNG per page of text (rendered at 150 dpi). */
export async function textPagePngs(pageTexts: string[], workDir: string, name = 'pages'): Promise<string[]> {
  const pdfPath = path.join(workDir, `${name}.pdf`);
  await writeFile(pdfPath, await bornDigitalPdf(pageTexts));
  return renderPages(pdfPath, workDir);
}

/** A one-page picture of the text as JPEG or BMP (formats pdftoppm writes, or we encode from its PGM). */
export async function textPageImage(text: string, workDir: string, format: 'jpeg' | 'bmp'): Promise<string> {
  const pdfPath = path.join(workDir, `${format}-source.pdf`);
  await writeFile(pdfPath, await bornDigitalPdf([text]));
  const prefix = path.join(workDir, `${format}-page`);
  if (format === 'jpeg') {
    execFileSync('pdftoppm', ['-r', '150', '-gray', '-jpeg', '-singlefile', pdfPath, prefix]);
    return `${prefix}.jpg`;
  }
  execFileSync('pdftoppm', ['-r', '150', '-gray', '-singlefile', pdfPath, prefix]);
  const bmpPath = `${prefix}.bmp`;
  await writeFile(bmpPath, encodeBmp(readPgm(`${prefix}.pgm`)));
  return bmpPath;
}

/** A 24-bit BMP: rows bottom-up, blue-green-red, each padded to 4 bytes. */
function encodeBmp(image: GreyImage): Buffer {
  const rowSize = Math.ceil((image.width * 3) / 4) * 4;
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + rowSize * image.height, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(image.width, 18);
  header.writeInt32LE(image.height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(rowSize * image.height, 34);
  const pixels = Buffer.alloc(rowSize * image.height);
  for (let y = 0; y < image.height; y++) {
    const row = (image.height - 1 - y) * rowSize;
    for (let x = 0; x < image.width; x++) {
      const grey = image.pixels[y * image.width + x] ?? 255;
      pixels.fill(grey, row + x * 3, row + x * 3 + 3);
    }
  }
  return Buffer.concat([header, pixels]);
}

export interface GreyImage {
  width: number;
  height: number;
  pixels: Buffer;
}

function readPgm(file: string): GreyImage {
  const data = readFileSync(file);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header?.[1] || !header[2]) throw new Error(`${file} is not an 8-bit PGM`);
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: data.subarray(header[0].length, header[0].length + width * height) };
}

/** An uncompressed 8-bit greyscale TIFF with one frame per image (little-endian, one strip per frame). */
export function encodeTiff(frames: GreyImage[], dpi: number): Buffer {
  const TAGS = 11;
  const ifdSize = 2 + TAGS * 12 + 4;
  const parts: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4);
  parts.push(header);
  let offset = 8;
  for (const [index, frame] of frames.entries()) {
    const ifdOffset = offset;
    const resolutionOffset = ifdOffset + ifdSize;
    const pixelsOffset = resolutionOffset + 8;
    const next = index === frames.length - 1 ? 0 : pixelsOffset + frame.pixels.length;
    const ifd = Buffer.alloc(ifdSize + 8);
    ifd.writeUInt16LE(TAGS, 0);
    const entries: [number, number, number][] = [
      [256, 4, frame.width], // ImageWidth
      [257, 4, frame.height], // ImageLength
      [258, 3, 8], // BitsPerSample
      [259, 3, 1], // Compression: none
      [262, 3, 1], // PhotometricInterpretation: black is zero
      [273, 4, pixelsOffset], // StripOffsets
      [277, 3, 1], // SamplesPerPixel
      [278, 4, frame.height], // RowsPerStrip
      [279, 4, frame.pixels.length], // StripByteCounts
      [282, 5, resolutionOffset], // XResolution (rational)
      [283, 5, resolutionOffset], // YResolution (rational)
    ];
    entries.forEach(([tag, type, value], entry) => {
      const at = 2 + entry * 12;
      ifd.writeUInt16LE(tag, at);
      ifd.writeUInt16LE(type, at + 2);
      ifd.writeUInt32LE(1, at + 4);
      if (type === 3) ifd.writeUInt16LE(value, at + 8);
      else ifd.writeUInt32LE(value, at + 8);
    });
    ifd.writeUInt32LE(next, 2 + TAGS * 12);
    ifd.writeUInt32LE(dpi, ifdSize);
    ifd.writeUInt32LE(1, ifdSize + 4);
    parts.push(ifd, frame.pixels);
    offset = pixelsOffset + frame.pixels.length;
  }
  return Buffer.concat(parts);
}

/** A multi-page TIFF scan: one frame per page of text (fewer than 10 pages: pdftoppm's names are not padded). */
export async function multiPageTiff(pageTexts: string[], workDir: string): Promise<string> {
  const pdfPath = path.join(workDir, 'tiff-source.pdf');
  await writeFile(pdfPath, await bornDigitalPdf(pageTexts));
  const prefix = path.join(workDir, 'tiff-page');
  const dpi = 150;
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', pdfPath, prefix]);
  const frames = pageTexts.map((_, index) => readPgm(`${prefix}-${index + 1}.pgm`));
  const tiffPath = path.join(workDir, 'scan.tiff');
  await writeFile(tiffPath, encodeTiff(frames, dpi));
  return tiffPath;
}
