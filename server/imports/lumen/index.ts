// The Lumen importer, as importMain dispatches it.
export { importLumen, LUMEN_DEFAULT_LICENCE, type LumenOptions } from './lumenImporter.ts';
