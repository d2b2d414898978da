/**
 * Herald's public API. Explicit named exports only; `export type` for interfaces.
 */
// Event model and catalogue
export { defineEvent, defineOperation } from './events/define.js';
export type { EventDef, EventSpec, OperationDefs, OperationSpec } from './events/define.js';
export { param, PARAM_KINDS } from './events/params.js';
export type { ParamKind, ParamShape, ParamSpec, ParamsOf, ParamValue, ParamValueMap } from './events/params.js';
export { LEVELS, isLevel, levelRank } from './events/level.js';
export type { Level } from './events/level.js';
export type { JsonValue } from './events/json.js';
export { nowUs } from './events/event.js';
export type { HeraldEvent, RaiseOptions } from './events/event.js';
export { validateParams } from './events/validate.js';
export type { ParamProblem, ValidationResult } from './events/validate.js';
export { Catalogue } from './events/catalogue.js';
export type { CatalogueQuery } from './events/catalogue.js';
export { PACKS, createDefaultCatalogue } from './events/packs/index.js';
export {
  E_CORE_LOG, E_CORE_PKG_THRESHOLD, E_CORE_PROC_AUTO_SCALE, E_CORE_SHM_THRESHOLD,
  E_CORE_SR_STATUS_CHANGED, E_CORE_TCP_DISCONNECT, E_CORE_THRESHOLD, E_FLATSTORE_ROTATION,
} from './events/packs/core.js';

// The event interface
export { Bus } from './bus/bus.js';
export type { BusOptions, RaiseResult, SubscribeOptions, SubscribeResult } from './bus/bus.js';
export { startOperation } from './bus/operation.js';
export type { OperationHandle } from './bus/operation.js';
export { compileFilter, parseFilter, FilterSyntaxError } from './bus/filter/index.js';
export type { CompiledFilter, FilterableEvent, FilterNode } from './bus/filter/index.js';
export { parseSocket } from './bus/socket.js';
export type { SocketAddress } from './bus/socket.js';
export type { SubscriberInfo } from './bus/subscription.js';
export type { BusStatistics, EventStatistics } from './bus/statistics.js';
export { DEFAULT_DELIVERY } from './bus/delivery-runner.js';
export type { DeliveryOptions } from './bus/delivery-runner.js';

// Backends
export { WRITE_OK } from './bus/backend.js';
export type { Backend, BackendContext, BackendFactory, WriteResult } from './bus/backend.js';
export { BackendRegistry } from './bus/backend-registry.js';
export { registerShippedBackends } from './backends/index.js';
export { memoryBackend, memoryStore, MemoryStore } from './backends/memory/index.js';
export {
  createFlatstoreFactory, createJsonlFactory, decodeFlatstoreParams, decodeJsonlParams, flatstoreBackend, jsonlBackend,
  listOpenFiles, parseFlatstore, parseJsonl, readFlatstore, readJsonl, rotate, rotateFiles, splitFlatstoreLine, startFileService,
} from './backends/files.js';
export type {
  FlatReadOptions, FlatRecord, FlatstoreFactoryOptions, JsonlFactoryOptions, JsonlReadOptions, OpenFileInfo, RotationInfo, RotationReason,
} from './backends/files.js';
export { eventToJsonLine, JsonLineSerializer } from './events/serialize-json.js';
export type { EventRecordJson, JsonTimeZone } from './events/serialize-json.js';

// Status/report registry
export { StatusRegistry, SR_STATUS } from './process/status/registry.js';
export type { IdentifierState, StatusReport, StatusRegistryOptions } from './process/status/registry.js';

// Management interface
export { defineCommand } from './mi/command.js';
export type { MiCallContext, MiCommand, MiCommandDescription, MiCommandSpec, MiParamSpec, MiParamType, MiParamsOf } from './mi/command.js';
export { MiCommandRegistry, miCommandRegistry, MI_COMMANDS_KEY } from './mi/registry.js';
export { MiParamsError } from './mi/params.js';
export { RpcError, RPC_ERROR } from './mi/jsonrpc.js';
export { createMiServer } from './mi/server.js';
export type { MiServer, MiServerOptions } from './mi/server.js';
export { startMiService, MI_ADDRESS_KEY } from './mi/service.js';
export type { MiAddress } from './mi/service.js';
export { IngestCounters, ingestCounters, registerIngestCounters } from './mi/ingest-counters.js';
export type { IngestCounterSource } from './mi/ingest-counters.js';

// Daemon and config
export { startDaemon } from './serve/serve.js';
export type { Daemon, ServeOptions } from './serve/serve.js';
export type { Runtime, Service, ServiceStarter } from './serve/runtime.js';
export { loadConfig, parseConfig, parseConfigText } from './config/load.js';
export type { HeraldConfig } from './config/schema.js';
export { createLogger, silentLogger } from './log/logger.js';
export type { Logger } from './log/logger.js';

// Errors
export { HeraldError, isHeraldError } from './errors/herald-error.js';
export type { HeraldErrorCode } from './errors/herald-error.js';
