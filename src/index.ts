/**
 * Herald's public API for applications: the catalogue, the bus, the backends'
 * public options and readers, tracing, the daemon, config and errors. Explicit
 * named exports only; `export type` for interfaces. Service authors import
 * `herald/runtime`; tests `herald/testing`. Everything else is internal.
 */
// Event model and catalogue
export { defineEvent, defineOperation } from './events/define.js';
export type { EventDef, EventSpec, OperationDefs, OperationSpec } from './events/define.js';
export { param, PARAM_KINDS } from './events/params.js';
export type { ParamKind, ParamShape, ParamSpec, ParamsOf, ParamValue, ParamValueMap } from './events/params.js';
export { LEVELS, LEVEL_ALIASES, LEVEL_NAMES, isLevel, levelRank, parseLevel } from './events/level.js';
export type { Level } from './events/level.js';
export type { JsonValue } from './events/json.js';
export { nowUs } from './events/event.js';
export type { EventParent, HeraldEvent, RaiseOptions } from './events/event.js';
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
export type { Backend, BackendContext, BackendFactory, DestinationCheck, DestinationContext, NetworkDestination, WriteResult } from './bus/backend.js';
export { BackendRegistry } from './bus/backend-registry.js';
export { registerShippedBackends } from './backends/index.js';
export {
  createFlatstoreFactory, createJsonlFactory, decodeFlatstoreParams, decodeJsonlParams, flatstoreBackend, jsonlBackend,
  listOpenFiles, parseFlatstore, parseJsonl, readFlatstore, readJsonl, rotate, rotateFiles, splitFlatstoreLine,
} from './backends/files.js';
export type {
  FlatReadOptions, FlatRecord, FlatstoreFactoryOptions, JsonlFactoryOptions, JsonlReadOptions, OpenFileInfo, RotationInfo, RotationReason,
} from './backends/files.js';
export { eventToJsonLine, JsonLineSerializer } from './events/serialize-json.js';
export type { EventRecordJson, JsonTimeZone } from './events/serialize-json.js';

// Status/report registry
export { StatusRegistry, SR_STATUS } from './runtime/status/registry.js';
export type { IdentifierState, StatusReport, StatusRegistryOptions } from './runtime/status/registry.js';

// Core events about the process (docs/core-events.md)
export { BUILTIN_THRESHOLD_SOURCES, createThresholds } from './process/thresholds.js';
export type { StopTiming, ThresholdExtra, Thresholds, ThresholdsOptions } from './process/thresholds.js';
export { watchBuiltinSources } from './process/threshold-sources/index.js';
export { ThresholdTracker, readMemoryLimit, watchMemory } from './process/memory.js';
export type { MemoryLimit, MemorySample, MemoryWatch, MemoryWatchOptions } from './process/memory.js';
export { markWebSocket, watchTcpDisconnects } from './process/tcp.js';
export { heraldPinoDestination } from './process/log-events.js';
export type { HeraldPinoDestination, LogEventOptions } from './process/log-events.js';
export { instrument } from './process/instrument/index.js';
export type { InstrumentOptions } from './process/instrument/index.js';
export { AutoScaler, WorkerPool, parseAutoScaleProfile } from './process/autoscale/index.js';
export type { AutoScaleProfile, WorkerPoolOptions } from './process/autoscale/index.js';
export { SipParsePool } from './trace/sip-pool/sip-parse-pool.js';
export type { SipParsePoolOptions } from './trace/sip-pool/sip-parse-pool.js';
export type { SipSummary } from './trace/sip-pool/summary-codec.js';

// Management interface (commands for it are written with `herald/runtime`)
export { RpcError, RPC_ERROR } from './runtime/mi/rpc-error.js';

// Message tracing (docs/trace.md)
export { Tracer } from './trace/tracer.js';
export type { TraceMeta, TraceOutcome, TracerOptions } from './trace/tracer.js';
export type { TraceIdStatus, TracerStatus, DestinationStatus } from './trace/tracer-status.js';
export { parseTraceId, parseDestination } from './trace/tracer-ids.js';
export type { DestinationSpec, TraceIdSpec } from './trace/tracer-ids.js';
export { createTraceStore, openTraceStore, DATA_COLUMNS, TABLE_NAME_PATTERN } from './trace/store/index.js';
export type { TraceQuery, TraceRecord, TraceRow, TraceStore, TraceStoreOptions, RetentionResult } from './trace/store/index.js';
export { searchTraces, showCall, parseTimeBound } from './trace/search.js';
export type { CallView, SearchHit, SearchInput } from './trace/search.js';
export { buildLadder } from './trace/ladder.js';
export type { Ladder, LadderEntry } from './trace/ladder.js';
export { renderLadder } from './trace/ladder-render.js';
export { E_HEP_LOG, E_TRACE_STORE_ERROR } from './events/packs/trace.js';

// Daemon and config
export { startDaemon } from './serve/serve.js';
export type { Daemon, ServeOptions } from './serve/serve.js';
export { loadConfig, parseConfig, parseConfigText } from './config/load.js';
export type { HeraldConfig } from './config/schema.js';
export { createLogger, silentLogger } from './log/logger.js';
export type { Logger } from './log/logger.js';

// Errors
export { HeraldError, isHeraldError } from './errors/herald-error.js';
export { ERROR_CODES } from './errors/codes.js';
export type { ErrorCodeInfo, HeraldErrorCode } from './errors/codes.js';
