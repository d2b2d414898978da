import type { TSchema } from '@sinclair/typebox';
import { TransformDecodeError, Value } from '@sinclair/typebox/value';

/** One thing wrong with a value: where (a JSON pointer, `/flatstore/delimiter`), what, and the value found. */
export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
  readonly value: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a Transform's Decode refuses (a delimiter starting with an escape letter, a
 * mode with setuid). Walks object properties, so every refused leaf is reported,
 * not only the first one Value.Decode would throw on.
 */
function decodeProblems(schema: TSchema, value: unknown, path: string): SchemaProblem[] {
  const properties = schema.properties as Record<string, TSchema> | undefined;
  if (properties !== undefined && isPlainObject(value)) {
    return Object.entries(properties).flatMap(([key, child]) => (key in value ? decodeProblems(child, value[key], `${path}/${key}`) : []));
  }
  try {
    Value.Decode(schema, value);
    return [];
  } catch (error) {
    if (!(error instanceof TransformDecodeError)) throw error;
    return [{ path: path + error.path, message: error.error.message, value: error.value }];
  }
}

/**
 * Every problem of `value` against `schema`: what fails validation, or, once it
 * validates, what the schema's Transform decoders refuse. One list for config files
 * and socket query options alike.
 */
export function schemaProblems(schema: TSchema, value: unknown): SchemaProblem[] {
  const errors = [...Value.Errors(schema, value)].map((error) => ({ path: error.path, message: error.message, value: error.value }));
  return errors.length > 0 ? errors : decodeProblems(schema, value, '');
}
