// ajv validators for the report schema (docs/report.schema.json) and HAR 1.2 (har-schema).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
export const REPORT_SCHEMA = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../../docs/report.schema.json'), 'utf8'),
);

export function reportValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(REPORT_SCHEMA);
}

export function harValidator() {
  // har-schema is draft-06 with a few non-standard annotations ("optional", "min"): not strict.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  const schemas = require('har-schema') as Record<string, object>;
  for (const [name, s] of Object.entries(schemas)) if (name !== 'har') ajv.addSchema(s);
  return ajv.compile(schemas.har!);
}
