import { Type } from '@sinclair/typebox';

/** Message tracing: the trace store and the HEP / raw SIP collectors. */
export const HepSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Start the HEP collector (UDP and TCP).' }),
  listen: Type.String({ default: '127.0.0.1:9060', description: 'host:port for both UDP and TCP.' }),
}, { additionalProperties: false, default: {} });

export const SipSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Start the raw SIP collector (UDP).' }),
  listen: Type.String({ default: '127.0.0.1:9061', description: 'host:port (UDP).' }),
}, { additionalProperties: false, default: {} });

export const TraceSection = Type.Object({
  store: Type.String({ default: 'sqlite:', description: '`sqlite:` (file in data_dir), `sqlite:PATH`, `postgres://…` or `mysql://…`.' }),
  table: Type.String({ default: 'sip_trace', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Trace table name.' }),
}, { additionalProperties: false, default: {} });
