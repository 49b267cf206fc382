// The layers of the archive, written down as import rules: a file may import its own layer and the ones
// below it, never one above. `npm test` runs ESLint, so crossing a boundary fails the build.
// The picture is in docs/ARCHITECTURE.md ("Layers"); tests/architecture/importBoundaries.test.ts proves
// each rule bites.

/** An import of a folder of ours, however many `../` lead to it. */
const folder = (name) => `(^|/)${name.replace('/', '\\/')}(/|$)`;

const rule = (regexes, message) => ({ regex: regexes.join('|'), message });

const forbid = (...patterns) => ['error', { patterns }];

export const importBoundaries = [
  {
    name: 'layers/domain',
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        rule(
          [folder('server'), folder('ingest'), '^(fastify|@fastify/|pg$|meilisearch$)'],
          'domain/ is pure rules about orders, laws, authorities and text: it imports nothing of server/ or ingest/, and no framework.',
        ),
      ),
    },
  },
  {
    name: 'layers/ingest',
    files: ['ingest/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        rule(
          [folder('server'), '^(fastify|@fastify/|pg$|meilisearch$)'],
          'ingest/ runs in the extraction sandbox: it may import domain/, never server/ code, the database or search.',
        ),
      ),
    },
  },
  {
    name: 'layers/commands',
    files: ['server/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        rule(
          ['^fastify', '^@fastify/', folder('routes'), folder('plugins')],
          'Commands know nothing of HTTP: no fastify, no routes or plugins. Throw ArchiveError (server/errors.ts); the HTTP layer maps it.',
        ),
      ),
    },
  },
  {
    name: 'layers/records-storage-search',
    files: [
      'server/records/**/*.ts',
      'server/storage/**/*.ts',
      'server/search/**/*.ts',
      'server/indexing/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': forbid(
        rule(
          [folder('commands'), folder('routes'), folder('plugins'), '^fastify', '^@fastify/'],
          'Records, storage, search and indexing sit below the commands: they never import commands, routes or plugins. Errors come from server/errors.ts.',
        ),
      ),
    },
  },
  {
    name: 'layers/indexing',
    files: ['server/indexing/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        rule(
          [
            folder('commands'),
            folder('routes'),
            folder('plugins'),
            '^fastify',
            '^@fastify/',
            folder('search'),
          ],
          'Indexing keeps Meilisearch in step with PostgreSQL; querying (server/search/) builds on it, never the reverse.',
        ),
      ),
    },
  },
  {
    // Importers of public collections (gov-takedowns, Lumen) sit with the bulk ingester and the CLI: they
    // call commands and records, as an HTTP route would, but know nothing of HTTP or pages.
    name: 'layers/imports',
    files: ['server/imports/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        rule(
          ['^fastify', '^@fastify/', folder('routes'), folder('plugins'), folder('web')],
          'server/imports/ reads public collections into orders through the commands: no fastify, routes, plugins or pages.',
        ),
      ),
    },
  },
  {
    name: 'layers/web',
    files: ['server/web/**/*.ts', 'server/web/**/*.tsx'],
    rules: {
      'no-restricted-imports': forbid(
        rule(
          [
            folder('ingest'),
            '^(pg|meilisearch)$',
            folder('database'),
            folder('indexing'),
            folder('storage'),
            folder('jobs'),
            folder('queue'),
            folder('runtime'),
            '(^|/)routes/api(/|$)',
            '(^|/)plugins/(?!errorHandler\\.ts$)',
          ],
          'Pages sit beside the API routes and call the same commands, records, search and auth rules: never the database driver, Meilisearch, ingest internals, indexing, storage or the API routes themselves (the error handler excepted: pages answer errors with the same status and code).',
        ),
      ),
    },
  },
];
