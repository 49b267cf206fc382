// The configuration refuses settings that contradict each other, naming them, before anything starts.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';

describe('loadConfig', () => {
  it('takes the extraction limits from the environment, with defaults for a long scan', () => {
    const config = loadConfig({ EXTRACT_TIMEOUT_MS: '60000', EXTRACT_OCR_PAGE_MS: '10000' });
    expect(config).toMatchObject({
      EXTRACT_TIMEOUT_MS: 60_000,
      EXTRACT_OCR_PAGE_MS: 10_000,
      EXTRACT_MAX_TIMEOUT_MS: 3_600_000,
    });
  });

  it('refuses a cap on the extraction limit below the limit itself', () => {
    const load = () => loadConfig({ EXTRACT_TIMEOUT_MS: '120000', EXTRACT_MAX_TIMEOUT_MS: '60000' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/EXTRACT_MAX_TIMEOUT_MS must be at least EXTRACT_TIMEOUT_MS/);
  });

  it('gives the embedded Meilisearch 1 GiB for indexing unless told otherwise, and refuses too little', () => {
    expect(loadConfig({}).MEILI_INDEXING_MEMORY_MB).toBe(1024);
    expect(loadConfig({ MEILI_INDEXING_MEMORY_MB: '4096' }).MEILI_INDEXING_MEMORY_MB).toBe(4096);
    expect(() => loadConfig({ MEILI_INDEXING_MEMORY_MB: '16' })).toThrow(/MEILI_INDEXING_MEMORY_MB/);
  });

  it('refuses a heap cap too small for pdf.js, naming the variable', () => {
    expect(() => loadConfig({ EXTRACT_MEMORY_MB: '128' })).toThrow(/EXTRACT_MEMORY_MB/);
  });
});
