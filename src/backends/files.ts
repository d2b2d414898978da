/**
 * The file backends' public surface: factories, rotation and readers for
 * `flatstore:` and `jsonl:` files (docs/backends/flatstore.md, docs/backends/jsonl.md).
 */
export { createFlatstoreFactory, flatstoreBackend } from './flatstore/index.js';
export type { FlatstoreFactoryOptions } from './flatstore/index.js';
export { createJsonlFactory, jsonlBackend } from './jsonl/index.js';
export type { JsonlFactoryOptions } from './jsonl/index.js';
export { listOpenFiles, rotateFiles, rotateFiles as rotate } from './shared/file-registry.js';
export type { OpenFileInfo } from './shared/file-registry.js';
export type { RotationInfo } from './shared/shared-file.js';
export type { RotationReason } from './shared/rotation.js';
export { decodeFlatstoreParams, parseFlatstore, readFlatstore, splitFlatstoreLine } from './flatstore/reader.js';
export type { FlatReadOptions, FlatRecord } from './flatstore/reader.js';
export { decodeJsonlParams, parseJsonl, readJsonl } from './jsonl/reader.js';
export type { JsonlReadOptions } from './jsonl/reader.js';
export { startFileService } from './files-service.js';
