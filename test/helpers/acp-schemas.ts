import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The ACP release counterpi implements. */
export const ACP_VERSION = '2026-04-17';

/** The official ACP specification files the tests use, vendored in `test/fixtures/acp-spec` (see its README). */
export const ACP_SPEC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/acp-spec');

const SCHEMA_DIR = join(ACP_SPEC_DIR, 'spec', ACP_VERSION, 'json-schema');

/** The schema files by name, and the `$defs` each one holds. */
const FILES = {
  checkout: 'schema.agentic_checkout.json',
  cart: 'schema.cart.json',
  delegatePayment: 'schema.delegate_payment.json',
  delegateAuthentication: 'schema.delegate_authentication.json',
  feed: 'schema.feed.json',
  discount: 'schema.discount.json',
  extension: 'schema.extension.json',
} as const;
export type AcpSchemaFile = keyof typeof FILES;

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

interface SchemaDocument {
  $id: string;
  [key: string]: unknown;
}

/**
 * Draft 2020-12 with formats on. Some files refer to others by a relative name
 * (`schema.agentic_checkout.json#/$defs/Item`), which resolves against the referring file's `$id`;
 * each referenced file is registered under that resolved name as well.
 */
function load(): Ajv2020 {
  if (ajv !== undefined) return ajv;
  const instance = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(instance);
  const documents = new Map<string, SchemaDocument>();
  for (const name of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'))) {
    documents.set(name, JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as SchemaDocument);
  }
  for (const document of documents.values()) instance.addSchema(document);
  for (const [, document] of documents) {
    const text = JSON.stringify(document);
    for (const [name, target] of documents) {
      if (target === document || !text.includes(`"${name}#`)) continue;
      const alias = new URL(name, document.$id).href;
      if (alias !== target.$id && instance.getSchema(alias) === undefined) {
        instance.addSchema({ ...target, $id: alias });
      }
    }
  }
  ajv = instance;
  return instance;
}

/** The validator of one `$defs` entry of an official schema file. */
export function acpValidator(file: AcpSchemaFile, def: string): ValidateFunction {
  const key = `${file}#${def}`;
  let validate = compiled.get(key);
  if (validate === undefined) {
    const instance = load();
    const document = JSON.parse(readFileSync(join(SCHEMA_DIR, FILES[file]), 'utf8')) as SchemaDocument;
    validate = instance.getSchema(`${document.$id}#/$defs/${def}`);
    if (validate === undefined) throw new Error(`${FILES[file]} has no $defs/${def}`);
    compiled.set(key, validate);
  }
  return validate;
}

/** Readable lines for ajv's errors: where, what, and the offending keyword's params. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}

/** The schema's complaints about `value` as `file#def`; empty when it validates. */
export function acpSchemaErrors(file: AcpSchemaFile, def: string, value: unknown): string[] {
  const validate = acpValidator(file, def);
  return validate(value) ? [] : describeErrors(validate.errors);
}

/** Reads one examples file of the release (`examples.agentic_checkout.json` …) as name → example. */
export function acpExamples(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ACP_SPEC_DIR, 'examples', ACP_VERSION, file), 'utf8')) as Record<
    string,
    unknown
  >;
}

/**
 * The values a string property's description defines (`… Defined values: 'created', 'confirmed'. …`):
 * ACP types several statuses as open strings and names their values there rather than in an `enum`.
 */
export function acpDefinedValues(file: AcpSchemaFile, def: string, property: string): string[] {
  const document = JSON.parse(readFileSync(join(SCHEMA_DIR, FILES[file]), 'utf8')) as {
    $defs: Record<string, { properties?: Record<string, { description?: string }> }>;
  };
  const description = document.$defs[def]?.properties?.[property]?.description ?? '';
  const list = /Defined values: ([^.]+)\./.exec(description)?.[1];
  if (list === undefined) throw new Error(`${FILES[file]} ${def}.${property} defines no values`);
  return [...list.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
}
