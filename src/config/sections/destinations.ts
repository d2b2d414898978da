import { Type } from '@sinclair/typebox';

/** This machine only: the default of every destination allow-list. */
export const LOOPBACK_DESTINATIONS: readonly string[] = ['127.0.0.0/8', '[::1]'];

const PATTERNS = '`HOST[:PORT]` patterns, HOST an IPv4 address or CIDR, `[IPv6[/prefix]]`, a host name (matched by name, never resolved) or `*`; '
  + 'PORT `N`, `N-M` or `*` (default). Multicast and broadcast need an exact address.';

/**
 * The schema of an `allowed_destinations` key (runtime/destination-patterns.ts reads it): `what` says
 * what it confines, `more` is said after the pattern syntax.
 */
export function allowedDestinations(what: string, more: string, defaults: readonly string[] = LOOPBACK_DESTINATIONS) {
  return Type.Array(Type.String({ minLength: 1 }), { default: [...defaults], description: `${what}: ${PATTERNS} ${more}` });
}
