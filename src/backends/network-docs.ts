import type { TObject } from '@sinclair/typebox';
import { EventStoreOptionsSchema } from './event-store/schema.js';
import { HttpOptionsSchema } from './http/schema.js';
import { TcpOptionsSchema } from './tcp/schema.js';
import { UdpOptionsSchema } from './udp/schema.js';

/** The network backends' pages under docs/backends/ and the schema each page's options table comes from. */
export const NETWORK_BACKEND_PAGES: ReadonlyArray<{ readonly page: string; readonly schema: TObject }> = [
  { page: 'docs/backends/udp.md', schema: UdpOptionsSchema },
  { page: 'docs/backends/tcp.md', schema: TcpOptionsSchema },
  { page: 'docs/backends/http.md', schema: HttpOptionsSchema },
  { page: 'docs/backends/event-store.md', schema: EventStoreOptionsSchema },
];
