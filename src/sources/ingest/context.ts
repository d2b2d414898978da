import type { Catalogue } from '../../events/catalogue.js';
import type { EventDef } from '../../events/define.js';
import type { UntypedDefs } from '../../events/untyped.js';

/** What a source does with an event the catalogue does not know: keep it untyped, or refuse it. */
export const UNKNOWN_POLICIES = ['accept', 'reject'] as const;
export type UnknownPolicy = (typeof UNKNOWN_POLICIES)[number];

/** What a parser needs besides the bytes: where names resolve, and the source's policy. */
export interface IngestContext {
  readonly catalogue: Catalogue;
  readonly untyped: UntypedDefs;
  readonly unknown: UnknownPolicy;
  /** Packs this source may raise events of; undefined: any pack. */
  readonly packs?: readonly string[];
  /** The source's name: the pack of its untyped events (`dovecot`, `opensips`, `ovenmediaengine`, `ingest`). */
  readonly source: string;
}

export type DefLookup =
  | { readonly kind: 'typed'; readonly def: EventDef }
  | { readonly kind: 'unknown' }
  /** Declared, but in a pack this source may not raise (a Dovecot cannot send E_CORE_LOG). */
  | { readonly kind: 'foreign'; readonly def: EventDef };

export function lookupDef(ctx: IngestContext, name: string): DefLookup {
  const def = ctx.catalogue.get(name);
  if (def === undefined) return { kind: 'unknown' };
  if (ctx.packs !== undefined && !ctx.packs.includes(def.pack)) return { kind: 'foreign', def };
  return { kind: 'typed', def };
}
