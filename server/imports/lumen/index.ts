// The Lumen importer, as importMain dispatches it.
export { importLumen, LUMEN_DEFAULT_LICENCE, type LumenOptions, type LumenReport } from './lumenImporter.ts';
export { LUMEN_FORMATS, type LumenFormat } from './preparedNotice.ts';
