// The layer rules of eslint.boundaries.js bite: an import across a boundary is an ESLint error, which
// fails `npm test` (it runs ESLint). Each forbidden import below is linted as if it were in that folder.
import { ESLint } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { importBoundaries } from '../../eslint.boundaries.js';

const root = path.resolve(import.meta.dirname, '../..');

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } },
    ...importBoundaries,
  ],
});

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return result!.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    [
      'ingest/suggestions/x.ts',
      "import { AUTHORITY_CATALOG } from '../../server/domain/authorityCatalog.ts';",
    ],
    ['ingest/x.ts', "import type { Config } from '../server/config.ts';"],
    ['ingest/sandbox/x.ts', "import pg from 'pg';"],
    ['domain/x.ts', "import { foldText } from '../server/indexing/searchDocuments.ts';"],
    ['domain/x.ts', "import { findUrls } from '../ingest/suggestions/findUrls.ts';"],
    ['server/commands/x.ts', "import type { FastifyInstance } from 'fastify';"],
    ['server/commands/x.ts', "import orderRoutes from '../routes/api/orders.ts';"],
    ['server/records/x.ts', "import { createOrder } from '../commands/orderCreator.ts';"],
    ['server/search/x.ts', "import { updateOrder } from '../commands/orderUpdater.ts';"],
    ['server/storage/x.ts', "import { attachDocuments } from '../commands/documentReceiver.ts';"],
    ['server/indexing/x.ts', "import { recordAudit } from '../commands/auditTrail.ts';"],
    ['server/indexing/x.ts', "import { searchOrders } from '../search/orderSearch.ts';"],
    ['server/web/routes/x.ts', "import pg from 'pg';"],
    ['server/web/pages/x.tsx', "import type { Meilisearch } from 'meilisearch';"],
    ['server/web/routes/x.ts', "import { withTransaction } from '../../database/transaction.ts';"],
    ['server/web/routes/x.ts', "import { searchIndexNames } from '../../indexing/searchIndexes.ts';"],
    ['server/web/x.ts', "import { extractFile } from '../../ingest/extractFile.ts';"],
    ['server/web/routes/x.ts', "import orderRoutes from '../../routes/api/orders.ts';"],
    ['server/web/x.ts', "import rateLimits from '../plugins/rateLimits.ts';"],
    // --- registry-import ---
    ['server/imports/registry/x.ts', "import orderRoutes from '../../routes/api/orders.ts';"],
    ['server/imports/lumen/x.ts', "import type { FastifyInstance } from 'fastify';"],
    // --- notice-import ---
    ['server/imports/lumen/x.ts', "import orderRoutes from '../../routes/api/orders.ts';"],
    ['server/imports/x.ts', "import type { FastifyInstance } from 'fastify';"],
  ])('refuses in %s: %s', async (file, source) => {
    const errors = await boundaryErrors(file, source);
    expect(errors).toHaveLength(1);
  });

  it.each([
    ['ingest/suggestions/x.ts', "import { AUTHORITY_CATALOG } from '../../domain/authorityCatalog.ts';"],
    ['server/commands/x.ts', "import { findOrderRow } from '../records/orderRecords.ts';"],
    ['server/search/x.ts', "import { searchIndexNames } from '../indexing/searchIndexes.ts';"],
    ['server/indexing/x.ts', "import { MeiliSearch } from 'meilisearch';"],
    ['server/routes/api/x.ts', "import { createOrder } from '../../commands/orderCreator.ts';"],
    ['server/jobs/x.ts', "import { extractFile } from '../../ingest/extractFile.ts';"],
    ['server/web/routes/x.ts', "import { signIn } from '../../commands/signIn.ts';"],
    ['server/web/routes/x.ts', "import { findOrderRow } from '../../records/orderRecords.ts';"],
    ['server/web/routes/x.ts', "import { searchOrders } from '../../search/orderSearch.ts';"],
    ['server/web/pages/x.tsx', "import { canSeeOrder } from '../../auth/orderAccess.ts';"],
    ['server/web/x.ts', "import { answerFor } from '../plugins/errorHandler.ts';"],
    ['server/web/routes/x.ts', "import { renderSearchPage } from '../pages/searchPage.tsx';"],
    ['server/web/x.ts', "import { findLegalAct } from '../../domain/legalCitation.ts';"],
    // --- registry-import ---
    ['server/imports/registry/x.ts', "import { createOrder } from '../../commands/orderCreator.ts';"],
    // --- notice-import ---
    [
      'server/imports/lumen/x.ts',
      "import { saveImportedOrder } from '../../commands/importedOrderSaver.ts';",
    ],
  ])('allows in %s: %s', async (file, source) => {
    expect(await boundaryErrors(file, source)).toEqual([]);
  });

  it('says which layer was crossed and why', async () => {
    const [message] = await boundaryErrors(
      'ingest/x.ts',
      "import { loadConfig } from '../server/config.ts';",
    );
    expect(message).toMatch(/ingest\/ runs in the extraction sandbox/);
  });
});
