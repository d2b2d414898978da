import type { JsonValue } from './json.js';

/** The param types an event can declare. */
export const PARAM_KINDS = [
  'int', 'float', 'bool', 'string', 'ip', 'port', 'duration', 'timestamp', 'string_list', 'json',
] as const;
export type ParamKind = (typeof PARAM_KINDS)[number];

/**
 * The TypeScript type of a value for each param kind.
 * - `int` is 64-bit safe: a safe-integer number, or a bigint within int64.
 * - `duration` is in microseconds; `timestamp` is Unix time in seconds (fractions allowed).
 */
export interface ParamValueMap {
  int: number | bigint;
  float: number;
  bool: boolean;
  string: string;
  ip: string;
  port: number;
  duration: number;
  timestamp: number;
  string_list: readonly string[];
  json: JsonValue;
}
export type ParamValue = ParamValueMap[ParamKind];

/** One declared param. Build with `param.int(...)` and friends. */
export interface ParamSpec<K extends ParamKind = ParamKind, O extends boolean = boolean> {
  readonly kind: K;
  readonly isOptional: O;
  readonly description: string;
  /**
   * The value is a time: given as text (`herald raise`, `from_text`), `now`
   * stands for the current time, in the param's own form (Unix seconds for a
   * timestamp, ISO 8601 for a string). Always true for `timestamp`.
   */
  readonly isTime: boolean;
  /** The same param, but callers may leave it out. */
  optional(): ParamSpec<K, true>;
  /** The same param, marked as a time (see isTime). */
  time(): ParamSpec<K, O>;
}

export type ParamShape = { readonly [name: string]: ParamSpec };

function spec<K extends ParamKind, O extends boolean>(kind: K, description: string, isOptional: O, isTime: boolean): ParamSpec<K, O> {
  return Object.freeze({
    kind,
    isOptional,
    description,
    isTime,
    optional: () => spec(kind, description, true, isTime),
    time: () => spec(kind, description, isOptional, true),
  });
}

function builder<K extends ParamKind>(kind: K) {
  return (description: string): ParamSpec<K, false> => spec(kind, description, false, kind === 'timestamp');
}

/** Param builders: `param.int('bytes sent')`, `param.ip('peer').optional()`. */
export const param = Object.freeze({
  int: builder('int'),
  float: builder('float'),
  bool: builder('bool'),
  string: builder('string'),
  ip: builder('ip'),
  port: builder('port'),
  duration: builder('duration'),
  timestamp: builder('timestamp'),
  stringList: builder('string_list'),
  json: builder('json'),
});

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type RequiredKeys<S extends ParamShape> = {
  [K in keyof S]: S[K] extends ParamSpec<ParamKind, false> ? K : never;
}[keyof S];
type OptionalKeys<S extends ParamShape> = Exclude<keyof S, RequiredKeys<S>>;

/** The params object a raise must pass for a given shape. */
export type ParamsOf<S extends ParamShape> = Simplify<
  { [K in RequiredKeys<S>]: ParamValueMap[S[K]['kind']] } & {
    [K in OptionalKeys<S>]?: ParamValueMap[S[K]['kind']] | undefined;
  }
>;

/** Parent params overridden by the child's own declarations. */
export type MergeShapes<P extends ParamShape, C extends ParamShape> = Simplify<Omit<P, keyof C> & C>;
