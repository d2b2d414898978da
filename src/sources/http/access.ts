import type { FastifyRequest } from 'fastify';
import { bearerToken, sameToken } from '../../runtime/token.js';

/*
 * Who may post events. Dovecot's exporter and most log shippers can only be
 * given a URL, so besides `Authorization: Bearer <token>` the token is taken as
 * URL credentials (`http://herald:<token>@host/…`, sent as Basic auth; either
 * half may hold it) or as `?token=<token>`.
 */

function presentedTokens(request: FastifyRequest): string[] {
  const out: string[] = [];
  const authorization = request.headers.authorization ?? '';
  const bearer = bearerToken(authorization);
  if (bearer !== undefined) out.push(bearer);
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (basic !== null) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    out.push(colon < 0 ? decoded : decoded.slice(0, colon));
    if (colon >= 0) out.push(decoded.slice(colon + 1));
  }
  const query = request.query as Record<string, unknown> | undefined;
  if (typeof query?.token === 'string') out.push(query.token);
  return out;
}

/** Whether the request carries `token` in any accepted place (constant-time compare). */
export function carriesToken(request: FastifyRequest, token: string): boolean {
  let found = false;
  for (const presented of presentedTokens(request)) if (sameToken(token, presented)) found = true;
  return found;
}
