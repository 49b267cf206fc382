// A fresh sandbox process reads a small built-in PDF a few times before its first file: until V8 has
// compiled pdf.js and the suggestion finders, they run two to three times slower, and the first files
// after every start (or recycling) of a process would pay for it while a user waits.
import { DEFAULT_LIMITS } from '../extraction.ts';
import { extractPdfBytes } from '../extractors/pdf.ts';
import { withSuggestions } from './withSuggestions.ts';

const ROUNDS = 40;

const SAMPLE_LINES = [
  'Notice of a demand to restrict access to information published on the internet.',
  'The resource https://news.example.org/2024/05/article must be removed within 24 hours.',
  'Reference No. 04-12/3456 of 14.07.2022, under article 15.3 of the law 149-FZ.',
  'Contact: legal@example.org, +7 (727) 123-45-67. The editor shall confirm the removal.',
];

/** A valid, uncompressed PDF with `pages` pages of plain Helvetica text (its offsets computed, not repaired). */
function samplePdf(pages: number): Buffer {
  const objects: string[] = [];
  const pageIds = Array.from({ length: pages }, (_, index) => 4 + index * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  for (const [index, id] of pageIds.entries()) {
    const lines = Array.from(
      { length: 24 },
      (_, line) => `${SAMPLE_LINES[line % SAMPLE_LINES.length]} ${index}`,
    );
    const content = `BT /F1 10 Tf 14 TL 40 800 Td ${lines.map((line) => `(${line}) Tj T*`).join(' ')} ET`;
    objects[id] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> ` +
      `/Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  }
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = pdf.length;
    pdf += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) pdf += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** Reads the sample until warm, stopping early as soon as `busy()` says a real file is waiting. */
export async function warmUp(busy: () => boolean): Promise<void> {
  const bytes = samplePdf(3);
  const input = {
    path: '/nonexistent/warm-up.pdf',
    mime: 'application/pdf',
    ocrLanguages: 'eng',
    workDir: '/nonexistent',
    limits: DEFAULT_LIMITS,
  };
  for (let round = 0; round < ROUNDS && !busy(); round++) {
    withSuggestions(await extractPdfBytes(Buffer.from(bytes), input));
  }
}
