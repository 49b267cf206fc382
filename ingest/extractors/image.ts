// Reads the text of a scanned image (PNG, JPEG, TIFF with one page per frame, BMP, WEBP, and HEIC/HEIF
// photos from phones) with tesseract, after checking its size so a decompression bomb is refused before
// anything decodes it.
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { imageSizeFromFile } from 'image-size/fromFile';
import {
  extractionLimitMs,
  toolMemoryMb,
  type ExtractionInput,
  type ExtractionResult,
  type Extractor,
} from '../extraction.ts';
import { chooseOcrLanguages, OCR_UNAVAILABLE_REASON, ocrAvailability } from '../ocr/ocrAvailability.ts';
import { recogniseImage, type RecognisedPage } from '../ocr/recogniseImage.ts';
import { tiffFrameSizes, type FrameSize } from '../ocr/tiffFrameSizes.ts';

/** A page OCR'd with less confidence than this gets a warning: its text may be unreliable. */
const LOW_CONFIDENCE = 0.5;
const OCR_TIMEOUT_PER_FRAME_MS = 120_000;
/** Types tesseract cannot read itself: decoded to PNM first. */
const HEIF_TYPES = ['image/heic', 'image/heif'];

function withoutText(
  input: ExtractionInput,
  status: ExtractionResult['status'],
  reason: string,
): ExtractionResult {
  return { status, mime: input.mime, pages: [], metadata: {}, children: [], warnings: [], reason };
}

/** Each frame's size, read from the file's headers without decoding it (renditions check them too). */
export async function frameSizes(input: Pick<ExtractionInput, 'path' | 'mime'>): Promise<FrameSize[]> {
  if (input.mime === 'image/tiff') {
    try {
      return await tiffFrameSizes(input.path);
    } catch {
      // BigTIFF or a damaged directory: image-size may still read the first frame.
    }
  }
  const { width, height } = await imageSizeFromFile(input.path);
  return [{ width, height }];
}

/** Why the image is refused, when a frame is over the pixel limit. */
export function oversizeReason(frames: FrameSize[], maxPixels: number): string | undefined {
  const index = frames.findIndex((frame) => frame.width * frame.height > maxPixels);
  const frame = frames[index];
  if (!frame) return undefined;
  const which = frames.length > 1 ? `Page ${index + 1} of the image` : 'The image';
  return `${which} is ${frame.width}×${frame.height} pixels, over the limit of ${maxPixels.toLocaleString('en-US')}`;
}

export const extractImage: Extractor = async (input) => {
  let frames: FrameSize[];
  try {
    frames = await frameSizes(input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return withoutText(input, 'failed', `The image could not be read: ${message}`);
  }
  const oversize = oversizeReason(frames, input.limits.maxPixels);
  if (oversize) return withoutText(input, 'failed', oversize);

  const availability = await ocrAvailability();
  const choice = chooseOcrLanguages(input.ocrLanguages, availability);
  if (!availability.tesseract) return withoutText(input, 'failed', OCR_UNAVAILABLE_REASON);
  if (!choice.languages) {
    return withoutText(
      input,
      'failed',
      `None of the OCR languages (${input.ocrLanguages}) is installed on this server`,
    );
  }

  const warnings: string[] = [];
  if (choice.missing.length > 0)
    warnings.push(`OCR languages not installed, skipped: ${choice.missing.join(', ')}`);
  const scratchDir = await mkdtemp(path.join(input.workDir, 'image-ocr-'));
  // One tesseract run reads every frame, so progress says only how many there are.
  input.progress?.({ ocrPages: frames.length, ocrDone: 0 });
  try {
    const options = {
      languages: choice.languages,
      scratchDir,
      memoryMb: toolMemoryMb(input.limits),
      timeoutMs: Math.min(
        extractionLimitMs(input.limits, frames.length),
        OCR_TIMEOUT_PER_FRAME_MS * frames.length,
      ),
    };
    let recognised: RecognisedPage[];
    if (HEIF_TYPES.includes(input.mime)) {
      // Loaded only for these photos: libheif's WebAssembly is 8 MB.
      const { heifToPnm } = await import('../ocr/heifToPnm.ts');
      const decoded = await heifToPnm(input.path, scratchDir, input.limits.maxPixels);
      recognised = [];
      for (const file of decoded.files) recognised.push(...(await recogniseImage(file, options)));
    } else {
      recognised = await recogniseImage(input.path, options);
    }
    const pages = recognised.map((page, index) => ({
      number: index + 1,
      text: page.text,
      method: 'ocr' as const,
      confidence: page.confidence,
    }));
    for (const page of pages) {
      if (!page.text) warnings.push(`Page ${page.number}: OCR found no text (a blank page?)`);
      else if (page.confidence !== null && page.confidence < LOW_CONFIDENCE) {
        warnings.push(`Page ${page.number}: OCR confidence is low (${Math.round(page.confidence * 100)}%)`);
      }
    }
    const [first] = frames;
    const metadata = {
      width: first?.width,
      height: first?.height,
      frames: frames.length,
      ocrLanguages: choice.languages,
    };
    const hasText = pages.some((page) => page.text);
    return {
      status: hasText ? 'extracted' : 'failed',
      mime: input.mime,
      pages,
      metadata,
      children: [],
      warnings,
      reason: hasText ? undefined : 'No text was found in the image',
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return withoutText(input, 'failed', `The image could not be read: ${message}`);
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
};
