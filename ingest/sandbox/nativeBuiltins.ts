// pdf.js's legacy build, the one pdf-parse loads, carries core-js polyfills. On Node 20 one of them
// replaces the engine's Array.prototype.push with a JavaScript function (core-js finds V8's push wrong
// for arrays longer than 2^32 - 1, which no extractor makes). Every push in the process then runs that
// function: pdf.js's own and ours, about a sixth of the time a sandbox spends on a PDF.
// The sandbox imports this module before anything else, so it sees the engine's own functions, and puts
// them back once pdf.js has loaded (the fake worker, pdf.worker.mjs, loads with the first PDF).

const NATIVE = {
  push: Array.prototype.push,
} as const;

/** Puts back the engine's own functions a polyfill replaced; returns the names it restored. */
export function restoreNativeBuiltins(): string[] {
  const restored: string[] = [];
  if (Array.prototype.push !== NATIVE.push) {
    Object.defineProperty(Array.prototype, 'push', {
      value: NATIVE.push,
      writable: true,
      enumerable: false,
      configurable: true,
    });
    restored.push('Array.prototype.push');
  }
  return restored;
}
