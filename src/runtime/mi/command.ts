import type { Bus } from '../../bus/bus.js';
import type { Logger } from '../../log/logger.js';
import type { SlotTable } from '../slots.js';

/** The types an MI param can declare. */
export type MiParamType = 'string' | 'int' | 'bool' | 'object' | 'array';

/** One declared param of an MI command. Positional calls map onto the declaration order. */
export interface MiParamSpec {
  readonly name: string;
  readonly type: MiParamType;
  readonly required?: boolean;
  readonly description: string;
  /** Smallest accepted value (`int` only). */
  readonly minimum?: number;
  /** Accepted values (`string` only). */
  readonly enum?: readonly string[];
}

interface MiValueMap {
  string: string;
  int: number;
  bool: boolean;
  object: Record<string, unknown>;
  array: unknown[];
}

/** The params object a handler receives, inferred from its `as const` declaration. */
export type MiParamsOf<P extends readonly MiParamSpec[]> = {
  [S in P[number] as S['name']]: S['required'] extends true ? MiValueMap[S['type']] : MiValueMap[S['type']] | undefined;
};

/** What every handler is given besides its params. Commands from other services close over their own deps. */
export interface MiCallContext {
  readonly bus: Bus;
  readonly logger: Logger;
  /** What services publish (status registry, ingest counters, …), read-only here. */
  readonly slots: Pick<SlotTable, 'get' | 'has'>;
}

/** An example call, rendered into docs/mi.md. */
export interface MiExample {
  readonly params?: Readonly<Record<string, unknown>>;
  readonly result: unknown;
}

/** A command as the registry stores it: params already checked against `params`. */
export interface MiCommand {
  /** OpenSIPS 3.x style name, e.g. `event_subscribe`. */
  readonly name: string;
  /** OpenSIPS 4.x `module:command` names, e.g. `evi:subscribe`. */
  readonly aliases: readonly string[];
  readonly description: string;
  readonly params: readonly MiParamSpec[];
  readonly example?: MiExample;
  handler(params: Readonly<Record<string, unknown>>, ctx: MiCallContext): unknown;
}

export interface MiCommandSpec<P extends readonly MiParamSpec[]> {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly description: string;
  readonly params: P;
  readonly example?: MiExample;
  /** May return a value or a promise; throw RpcError, MiParamsError or HeraldError to fail. */
  handler(params: MiParamsOf<P>, ctx: MiCallContext): unknown;
}

/** Declares an MI command; `params` (declared `as const` by inference) types the handler's argument. */
export function defineCommand<const P extends readonly MiParamSpec[]>(spec: MiCommandSpec<P>): MiCommand {
  return Object.freeze({
    name: spec.name,
    aliases: Object.freeze([...(spec.aliases ?? [])]),
    description: spec.description,
    params: spec.params,
    ...(spec.example !== undefined ? { example: spec.example } : {}),
    handler: spec.handler as MiCommand['handler'],
  });
}

/** The public view of a command, as `which` lists it. */
export interface MiCommandDescription {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly params: ReadonlyArray<{ readonly name: string; readonly type: MiParamType; readonly required: boolean; readonly description: string }>;
}

export function describeCommand(command: MiCommand): MiCommandDescription {
  return {
    name: command.name,
    aliases: [...command.aliases],
    description: command.description,
    params: command.params.map((p) => ({ name: p.name, type: p.type, required: p.required === true, description: p.description })),
  };
}
