import { Catalogue } from '../catalogue.js';
import type { EventDef } from '../define.js';
import { corePack } from './core.js';
import { dovecotPack } from './dovecot.js';
import { ovenmediaenginePack } from './ovenmediaengine.js';
import { tracePack } from './trace.js';

/** Every pack Herald ships, by name. */
export const PACKS: Readonly<Record<string, readonly EventDef[]>> = {
  core: corePack,
  dovecot: dovecotPack,
  ovenmediaengine: ovenmediaenginePack,
  trace: tracePack,
};

/** A catalogue holding every shipped pack. */
export function createDefaultCatalogue(): Catalogue {
  return new Catalogue(Object.values(PACKS).flat());
}
