// Why a rendition could not be made, in words for a user. Its own module, so the server can tell this
// error apart without loading pdf.js or the renderer.
export class RenditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenditionError';
  }
}
