// Lists the size of every frame of a TIFF, so a multi-page scan is checked against the pixel limit
// frame by frame (image-size reads only the first).
import { open } from 'node:fs/promises';

export interface FrameSize {
  width: number;
  height: number;
}

const WIDTH_TAG = 256;
const HEIGHT_TAG = 257;
const SHORT = 3;
const LONG = 4;
/** A bound on frames read, so a crafted file with a loop of IFDs cannot keep us busy. */
const MAX_FRAMES = 10_000;

export class TiffStructureError extends Error {}

/** Frame sizes of a classic TIFF; throws TiffStructureError when the file is not one (BigTIFF included). */
export async function tiffFrameSizes(filePath: string): Promise<FrameSize[]> {
  const file = await open(filePath, 'r');
  try {
    const read = async (offset: number, length: number): Promise<DataView> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      if (bytesRead < length) throw new TiffStructureError('the TIFF structure is truncated');
      return new DataView(buffer.buffer, buffer.byteOffset, length);
    };
    const header = await read(0, 8);
    const byteOrder = header.getUint16(0, false);
    if (byteOrder !== 0x4949 && byteOrder !== 0x4d4d) throw new TiffStructureError('not a TIFF file');
    const littleEndian = byteOrder === 0x4949;
    if (header.getUint16(2, littleEndian) !== 42) throw new TiffStructureError('not a classic TIFF file');

    const frames: FrameSize[] = [];
    const seen = new Set<number>();
    let offset = header.getUint32(4, littleEndian);
    while (offset !== 0 && frames.length < MAX_FRAMES) {
      if (seen.has(offset)) throw new TiffStructureError('the TIFF frames form a loop');
      seen.add(offset);
      const entryCount = (await read(offset, 2)).getUint16(0, littleEndian);
      const directory = await read(offset + 2, entryCount * 12 + 4);
      const size = { width: 0, height: 0 };
      for (let entry = 0; entry < entryCount; entry++) {
        const at = entry * 12;
        const tag = directory.getUint16(at, littleEndian);
        const type = directory.getUint16(at + 2, littleEndian);
        if (tag !== WIDTH_TAG && tag !== HEIGHT_TAG) continue;
        const value =
          type === SHORT
            ? directory.getUint16(at + 8, littleEndian)
            : type === LONG
              ? directory.getUint32(at + 8, littleEndian)
              : 0;
        if (tag === WIDTH_TAG) size.width = value;
        else size.height = value;
      }
      frames.push(size);
      offset = directory.getUint32(entryCount * 12, littleEndian);
    }
    return frames;
  } finally {
    await file.close();
  }
}
