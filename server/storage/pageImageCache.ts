// Page images of originals for reviewers (GET /api/documents/:id/pages/:n/image): rendered once in a
// sandbox process (ingest/renditions/pageImage.ts) and kept on disk beside the blobs, keyed by the
// original's sha256 and the page, so the same bytes are rendered once whatever documents hold them. The
// images show unredacted pages: the cache lives in the data directory, the archive user's alone, and only
// the route's access rule decides who reads them. A few renderings run at once per process; asking for a
// page that is being rendered waits for that rendering.
import { randomUUID } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { RenditionError } from '../../ingest/renditions/renditionError.ts';
import { renderPageImageInSandbox, renditionTimeoutMs } from '../../ingest/renditions/renditionSandbox.ts';
import type { Config } from '../config.ts';
import { ArchiveError, notFound } from '../errors.ts';

/** The resolution the images are made at is the rendition's (redactionBoxes.ts): bump to re-render all. */
const CACHE_VERSION = 'v1';
const MAX_RENDERINGS = 2;

export interface PageImageSource {
  sha256: string;
  mime: string;
  ocr_languages: string;
  /** The original's path in the blob store. */
  file: string;
}

export class PageImageCache {
  private readonly inFlight = new Map<string, Promise<string>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly config: Pick<Config, 'dataDir' | 'EXTRACT_MEMORY_MB' | 'EXTRACT_MAX_TIMEOUT_MS'>,
  ) {}

  /** Where the image of this page of these bytes is (or will be) kept. */
  pathOf(sha256: string, page: number): string {
    const root = path.join(this.config.dataDir, 'cache', 'page-images', CACHE_VERSION);
    return path.join(root, sha256.slice(0, 2), sha256, `${page}.png`);
  }

  /** The image's path, rendered first if need be; 404 for a page the document does not have. */
  async imageOf(source: PageImageSource, page: number): Promise<string> {
    const cached = this.pathOf(source.sha256, page);
    if (await exists(cached)) return cached;
    let rendering = this.inFlight.get(cached);
    if (!rendering) {
      rendering = this.render(source, page, cached).finally(() => this.inFlight.delete(cached));
      this.inFlight.set(cached, rendering);
    }
    return rendering;
  }

  private async render(source: PageImageSource, page: number, cached: string): Promise<string> {
    await this.slot();
    try {
      const workDir = path.join(this.config.dataDir, 'work');
      await mkdir(workDir, { recursive: true, mode: 0o700 });
      await mkdir(path.dirname(cached), { recursive: true, mode: 0o700 });
      const partial = `${cached}.${randomUUID()}.partial`;
      try {
        await renderPageImageInSandbox(
          { file: source.file, mime: source.mime, page, ocrLanguages: source.ocr_languages, workDir },
          partial,
          {
            memoryMb: this.config.EXTRACT_MEMORY_MB,
            timeoutMs: renditionTimeoutMs(
              1,
              source.mime === 'application/pdf' ? 0 : 1,
              this.config.EXTRACT_MAX_TIMEOUT_MS,
            ),
          },
        );
        await rename(partial, cached);
        return cached;
      } catch (error) {
        await rm(partial, { force: true });
        if (!(error instanceof RenditionError)) throw error;
        if (/has no page/.test(error.message)) throw notFound(error.message);
        throw new ArchiveError('rendition_unavailable', `The page could not be rendered: ${error.message}`);
      }
    } finally {
      this.release();
    }
  }

  private async slot(): Promise<void> {
    if (this.running < MAX_RENDERINGS) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
