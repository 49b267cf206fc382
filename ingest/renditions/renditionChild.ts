// The sandboxed process that makes one rendition: an uploaded file is parsed by pdf.js and rendered by
// poppler here, under the parent's heap cap and time limit, never in the server or the worker. It gets
// one request, writes the PDF to the file the parent named and answers with the rest of the result.
import { writeFile } from 'node:fs/promises';
import { renderPageImage, type PageImage, type PageImageRequest } from './pageImage.ts';
import {
  renderRedacted,
  RenditionError,
  type Rendition,
  type RenditionRequest,
} from './redactedRendition.ts';

/** A rendition, or one page of the original as an image for a reviewer. */
export type RenditionChildRequest =
  | {
      request: RenditionRequest;
      /** Where the rendition's PDF goes (the parent reads and removes it). */
      output: string;
    }
  | {
      pageImage: PageImageRequest;
      /** Where the PNG goes (the parent moves it into its cache). */
      output: string;
    };

export type RenditionChildReply =
  { ok: true; result: Omit<Rendition, 'pdf'> | PageImage } | { ok: false; reason: string };

// If the parent goes away, nobody will read the result: stop, with any tools we started.
process.on('disconnect', () => process.kill(0, 'SIGKILL'));

process.once('message', (message: RenditionChildRequest) => {
  void (async (): Promise<RenditionChildReply> => {
    try {
      if ('pageImage' in message) {
        return { ok: true, result: await renderPageImage(message.pageImage, message.output) };
      }
      const { pdf, ...result } = await renderRedacted(message.request);
      await writeFile(message.output, pdf);
      return { ok: true, result };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        reason: error instanceof RenditionError ? text : `The rendition could not be made: ${text}`,
      };
    }
  })().then((reply) => process.send?.(reply));
});
