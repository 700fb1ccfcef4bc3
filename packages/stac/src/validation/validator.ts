/**
 * STAC validation on write: the core schema of the document's type, then the schema of every extension it
 * declares. Schemas are compiled once per process; nothing is fetched, ever.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { MeridianError } from '@meridian/core';
import { COLLECTION_SCHEMA, ITEM_SCHEMA } from './core-schemas.ts';
import { extensionFields } from './extension-schemas.ts';
import { GEOJSON_DEFINITIONS } from './geojson-schema.ts';
import type { JsonObject } from '../types.ts';

type Kind = 'item' | 'collection';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext typing.
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
(addFormats as unknown as (instance: Ajv) => void)(ajv);

const core: Record<Kind, ValidateFunction> = {
  item: ajv.compile(ITEM_SCHEMA),
  collection: ajv.compile(COLLECTION_SCHEMA),
};

const extensionValidators = new Map<string, ValidateFunction>();

/** Where extension fields may appear: item properties and assets; collection assets and item_assets. */
function extensionSchema(kind: Kind, fields: Record<string, unknown>): Record<string, unknown> {
  const holder = { type: 'object', properties: fields };
  const assets = { type: 'object', additionalProperties: holder };
  const properties = kind === 'item' ? { properties: holder, assets } : { assets, item_assets: assets };
  return { type: 'object', properties, definitions: GEOJSON_DEFINITIONS };
}

function extensionValidator(kind: Kind, uri: string): { name: string; validate: ValidateFunction } {
  const { name, fields } = extensionFields(uri);
  const key = `${kind} ${name}`;
  let validate = extensionValidators.get(key);
  if (!validate) {
    validate = ajv.compile(extensionSchema(kind, fields));
    extensionValidators.set(key, validate);
  }
  return { name, validate };
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return 'is not valid';
  const where = error.instancePath === '' ? '(document)' : error.instancePath;
  const extra = error.keyword === 'additionalProperties' || error.keyword === 'required' ? ` (${JSON.stringify(error.params)})` : '';
  return `${where} ${error.message ?? 'is not valid'}${extra}`;
}

function invalid(kind: Kind, id: unknown, rule: string, error: ErrorObject | undefined): MeridianError {
  const shownId = typeof id === 'string' ? ` "${id.slice(0, 100)}"` : '';
  return new MeridianError('STAC_INVALID', `${kind}${shownId} is not valid ${rule}: ${describe(error)}`, {
    ...(error ? { path: error.instancePath } : {}),
    ...(typeof id === 'string' ? { id: id.slice(0, 100) } : {}),
  });
}

/** Throws STAC_INVALID (or STAC_EXTENSION_UNSUPPORTED) unless `document` is a valid STAC 1.x item/collection. */
export function validateStac(kind: Kind, document: JsonObject): void {
  const { id } = document;
  const validateCore = core[kind];
  if (!validateCore(document)) throw invalid(kind, id, 'STAC 1.x', validateCore.errors?.[0]);
  const extensions = Array.isArray(document.stac_extensions) ? (document.stac_extensions as string[]) : [];
  for (const uri of extensions) {
    const { name, validate } = extensionValidator(kind, uri);
    if (!validate(document)) throw invalid(kind, id, `for the ${name} extension`, validate.errors?.[0]);
  }
}
