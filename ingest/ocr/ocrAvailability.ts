// Finds out once whether this server can OCR (tesseract, its languages, pdftoppm), for extractors and /health.
import { CommandMissingError, runCommand } from './runCommand.ts';

export const OCR_UNAVAILABLE_REASON =
  'OCR is not available on this server (install tesseract-ocr and poppler-utils)';

export interface OcrAvailability {
  /** tesseract runs: images can be OCR'd. */
  tesseract: boolean;
  /** pdftoppm runs: PDF pages can be rasterised for OCR. */
  pdftoppm: boolean;
  tesseractVersion: string | null;
  pdftoppmVersion: string | null;
  /** Installed tesseract languages (e.g. ["eng", "kaz", "rus"]). */
  languages: string[];
}

const PROBE_TIMEOUT_MS = 10_000;

async function probe(command: string, args: string[]): Promise<string | null> {
  try {
    const result = await runCommand(command, args, { timeoutMs: PROBE_TIMEOUT_MS });
    // pdftoppm prints its version to stderr, tesseract to stdout.
    return result.exitCode === 0 ? `${result.stdout}\n${result.stderr}` : null;
  } catch (error) {
    if (error instanceof CommandMissingError) return null;
    throw error;
  }
}

async function detectOcr(): Promise<OcrAvailability> {
  const [tesseractOutput, languagesOutput, pdftoppmOutput] = await Promise.all([
    probe('tesseract', ['--version']),
    probe('tesseract', ['--list-langs']),
    probe('pdftoppm', ['-v']),
  ]);
  const languages = (languagesOutput ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[A-Za-z_]+$/.test(line) && line !== 'osd');
  return {
    tesseract: tesseractOutput !== null,
    pdftoppm: pdftoppmOutput !== null,
    tesseractVersion: tesseractOutput?.match(/tesseract v?([\d.]+\S*)/i)?.[1] ?? null,
    pdftoppmVersion: pdftoppmOutput?.match(/pdftoppm version ([\d.]+)/i)?.[1] ?? null,
    languages: languages.sort(),
  };
}

let cached: Promise<OcrAvailability> | undefined;

/** What OCR this server can do; probed once per process (the tools do not come and go while it runs). */
export function ocrAvailability(): Promise<OcrAvailability> {
  cached ??= detectOcr();
  return cached;
}

export interface OcrLanguageChoice {
  /** The installed subset, joined for tesseract ("rus+eng"), or null when none is installed. */
  languages: string | null;
  missing: string[];
}

/** Keeps the requested languages tesseract has, so one missing language does not stop OCR. */
export function chooseOcrLanguages(requested: string, availability: OcrAvailability): OcrLanguageChoice {
  const wanted = requested
    .split('+')
    .map((language) => language.trim())
    .filter(Boolean);
  const installed = wanted.filter((language) => availability.languages.includes(language));
  const missing = wanted.filter((language) => !availability.languages.includes(language));
  return { languages: installed.length > 0 ? installed.join('+') : null, missing };
}
