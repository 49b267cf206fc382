// The file types a redacted rendition can be made of: PDFs, and the images tesseract reads (HEIC and
// HEIF after decoding). Its own module, so the server can ask without loading the renderer.
export const RENDERABLE_IMAGE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/tiff',
  'image/bmp',
  'image/webp',
  'image/heic',
  'image/heif',
];
export const HEIF_TYPES = ['image/heic', 'image/heif'];

export function canRender(mime: string): boolean {
  return mime === 'application/pdf' || RENDERABLE_IMAGE_TYPES.includes(mime);
}
