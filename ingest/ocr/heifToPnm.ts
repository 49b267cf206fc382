// Decodes a HEIC/HEIF photo (what phones save by default) into PNM files tesseract can read, one per
// top-level image. libheif runs as WebAssembly inside the sandbox process; the caller has already
// checked the image's size against the pixel limit, and each image is checked again before decoding.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import decodeHeif from 'heic-decode';

export interface DecodedFrames {
  /** PNM files (binary PPM), in the order of the images in the file. */
  files: string[];
}

/** RGBA pixels as a binary PPM (P6): tesseract reads PNM natively, so nothing else needs to encode. */
function ppm(width: number, height: number, rgba: Uint8ClampedArray): Buffer {
  const header = Buffer.from(`P6\n${width} ${height}\n255\n`, 'ascii');
  const rgb = Buffer.alloc(width * height * 3);
  for (let from = 0, to = 0; from < rgba.length; from += 4, to += 3) {
    rgb[to] = rgba[from]!;
    rgb[to + 1] = rgba[from + 1]!;
    rgb[to + 2] = rgba[from + 2]!;
  }
  return Buffer.concat([header, rgb]);
}

export async function heifToPnm(file: string, scratchDir: string, maxPixels: number): Promise<DecodedFrames> {
  const images = await decodeHeif.all({ buffer: await readFile(file) });
  try {
    const files: string[] = [];
    for (const [index, image] of images.entries()) {
      if (image.width * image.height > maxPixels) {
        throw new Error(
          `image ${index + 1} is ${image.width}×${image.height} pixels, over the limit of ${maxPixels.toLocaleString('en-US')}`,
        );
      }
      const { width, height, data } = await image.decode();
      const target = path.join(scratchDir, `frame-${index + 1}.ppm`);
      await writeFile(target, ppm(width, height, data));
      files.push(target);
    }
    return { files };
  } finally {
    images.dispose();
  }
}
