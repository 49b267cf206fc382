// The baseline of the ingest benchmark: bare pdf-parse `getText()` on the given files, one after another,
// in a process of its own (as a user of the library would run it; pdf.js's polyfills and its ~140 MB of
// tables stay out of the archive's server process). The files are read into memory first, read once to
// warm up (V8 compiles pdf.js on the way, as our sandboxes have), then read again, timed. Prints
// {"seconds": …} as JSON.
// Usage: node --import tsx bench/ingest/barePdfParse.ts FILE...
import { readFile } from 'node:fs/promises';
import { PDFParse } from 'pdf-parse';

const files = await Promise.all(process.argv.slice(2).map((file) => readFile(file)));

async function parseAll(pdfs: Buffer[]): Promise<number> {
  const begun = performance.now();
  for (const pdf of pdfs) {
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    await parser.getText();
    await parser.destroy();
  }
  return (performance.now() - begun) / 1000;
}

await parseAll(files);
console.log(JSON.stringify({ seconds: await parseAll(files) }));
