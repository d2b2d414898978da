import { param } from '../../params.js';
import { defineDovecotEvent } from './operation.js';

/**
 * Connection events, raised only by connections built on Dovecot's
 * "connection API" (not every connection type uses it yet). Dovecot gives
 * them no category of their own: they carry the categories of the component
 * owning the connection. Herald files them under `connection`.
 *
 * The `_disconnected` events are children of the `_connected` ones ("fields
 * from" in the Dovecot list), and each pair is linked with `pairedWith`.
 */
const CATEGORY = 'connection';
const ALSO = 'Dovecot categories: those of the component owning the connection.';

const endpointParams = {
  client_ip: param.ip('The source IP.'),
  client_port: param.port('The source port.'),
  ip: param.ip('The target IP.'),
  port: param.port('The target port.'),
};

const bytesIn = param.int('Amount of data read, in bytes.');
const bytesOut = param.int('Amount of data written, in bytes.');
const reason = param.string('The disconnection reason.');

export const client_connection_connected = defineDovecotEvent({
  name: 'client_connection_connected',
  category: CATEGORY,
  level: 'info',
  description: `A client connection was established. ${ALSO}`,
  params: endpointParams,
  pairedWith: 'client_connection_disconnected',
});

export const client_connection_disconnected = defineDovecotEvent({
  name: 'client_connection_disconnected',
  category: CATEGORY,
  level: 'info',
  description: `A client connection was closed. ${ALSO}`,
  parent: client_connection_connected,
  params: { bytes_in: bytesIn, bytes_out: bytesOut, reason },
  pairedWith: 'client_connection_connected',
});

export const server_connection_connected = defineDovecotEvent({
  name: 'server_connection_connected',
  category: CATEGORY,
  level: 'info',
  description: `A server connection was established. ${ALSO}`,
  params: {
    ...endpointParams,
    bytes_in: param.int('Amount of data read so far, in bytes.'),
    bytes_out: param.int('Amount of data written so far, in bytes.'),
  },
  pairedWith: 'server_connection_disconnected',
});

/** Redeclares bytes_in/bytes_out: at disconnect they are the connection's totals. */
export const server_connection_disconnected = defineDovecotEvent({
  name: 'server_connection_disconnected',
  category: CATEGORY,
  level: 'info',
  description: `A server connection was closed. ${ALSO}`,
  parent: server_connection_connected,
  params: { bytes_in: bytesIn, bytes_out: bytesOut, reason },
  pairedWith: 'server_connection_connected',
});

export const connectionEvents = [
  client_connection_connected,
  client_connection_disconnected,
  server_connection_connected,
  server_connection_disconnected,
] as const;
