/*
 * `herald/runtime`: what a service author uses. A service declares the slots it
 * provides, needs and uses (`defineService`), reads them typed from
 * `runtime.slots`, registers MI commands and ingest counters, and parses its
 * listen address and file paths the way every other service does.
 */
export { defineService } from './service.js';
export type { Runtime, Service, ServiceDeclaration, ServiceDefinition, ServiceStarter, StartService } from './service.js';
export { SlotTable } from './slots.js';
export type { SlotKey, Slots } from './slots.js';
export { serviceOrder } from './order.js';
export { httpBase, isLoopbackHost, listenError, parseListen } from './listen.js';
export type { ListenAddress } from './listen.js';
export { IngestCounters, ingestCounters, registerIngestCounters, INGEST_COUNTERS_SLOT } from './ingest-counters.js';
export type { IngestCounterSource } from './ingest-counters.js';
export { UdpSocketDrops } from './udp-socket-drops.js';
export type { KernelDropsReading, UdpSocketDropsOptions, UdpSocketIdentity } from './udp-socket-drops.js';
export { watchUdpCollector, COLLECTOR_STATUS_GROUP } from './udp-collector-watch.js';
export type { UdpCollectorWatch, UdpCollectorWatchOptions } from './udp-collector-watch.js';
export { recvBufferGrant, recvBufferShortfall } from './recv-buffer.js';
export type { RecvBufferGrant } from './recv-buffer.js';
export { confinePath, confineSqlitePath } from './files-roots.js';
export type { ConfinedPath } from './files-roots.js';
export { SR_STATUS, StatusRegistry, statusRegistryOf, STATUS_SLOT } from './status.js';
export type { IdentifierState, StatusRegistryOptions, StatusReport } from './status.js';
export { defineCommand, describeCommand } from './mi/command.js';
export type { MiCallContext, MiCommand, MiCommandDescription, MiCommandSpec, MiExample, MiParamSpec, MiParamType, MiParamsOf } from './mi/command.js';
export { MiParamsError } from './mi/params.js';
export type { MiParamProblem } from './mi/params.js';
export { MiCommandRegistry, miCommandRegistry, MI_COMMANDS_SLOT } from './mi/registry.js';
export { RpcError, RPC_ERROR } from './mi/rpc-error.js';
export type { JsonRpcErrorObject } from './mi/rpc-error.js';
export { createAllowList, parseDestinationPattern } from './destination-patterns.js';
export type { DestinationAllowList } from './destination-patterns.js';
export { subscriberDestinationCheck, SUBSCRIBER_DESTINATIONS_KEY } from './subscriber-destinations.js';
