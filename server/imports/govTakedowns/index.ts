// The gov-takedowns importer, as importMain dispatches it.
export {
  importGovTakedowns,
  type GovTakedownsOptions,
  type GovTakedownsReport,
} from './govTakedownsImporter.ts';
