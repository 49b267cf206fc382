// Which extractor reads which sniffed MIME type. Adding a format means adding one line here.
import type { Extractor } from './extraction.ts';

type ExtractorLoader = () => Promise<Extractor>;

const EXTRACTORS: Record<string, ExtractorLoader> = {
  'application/pdf': async () => (await import('./extractors/pdf.ts')).extractPdf,
  'image/png': async () => (await import('./extractors/image.ts')).extractImage,
  'image/jpeg': async () => (await import('./extractors/image.ts')).extractImage,
  'image/tiff': async () => (await import('./extractors/image.ts')).extractImage,
  'image/bmp': async () => (await import('./extractors/image.ts')).extractImage,
  'image/webp': async () => (await import('./extractors/image.ts')).extractImage,
  'image/heic': async () => (await import('./extractors/image.ts')).extractImage,
  'image/heif': async () => (await import('./extractors/image.ts')).extractImage,
  'message/rfc822': async () => (await import('./extractors/email.ts')).extractEmail,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': async () =>
    (await import('./extractors/docx.ts')).extractDocx,
  'application/vnd.oasis.opendocument.text': async () => (await import('./extractors/odt.ts')).extractOdt,
  'text/html': async () => (await import('./extractors/html.ts')).extractHtml,
  'text/plain': async () => (await import('./extractors/plainText.ts')).extractPlainText,
  'text/markdown': async () => (await import('./extractors/plainText.ts')).extractPlainText,
};

const loaded = new Map<string, Promise<Extractor>>();

/** The extractor for a sniffed type, or undefined when the archive cannot read that type. */
export async function extractorFor(mime: string): Promise<Extractor | undefined> {
  const load = EXTRACTORS[mime];
  if (!load) return undefined;
  // Loaded once per process: a dynamic import costs a module resolution through the loader every time.
  let extractor = loaded.get(mime);
  if (!extractor) {
    extractor = load();
    loaded.set(mime, extractor);
    extractor.catch(() => loaded.delete(mime));
  }
  return extractor;
}

export const SUPPORTED_MIME_TYPES = Object.keys(EXTRACTORS);
