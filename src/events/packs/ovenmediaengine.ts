import type { EventDef } from '../define.js';
import { apiEvents } from './ovenmediaengine/api.js';
import { channelEvents } from './ovenmediaengine/channels.js';
import { outputEvents } from './ovenmediaengine/outputs.js';
import { serverEvents } from './ovenmediaengine/server.js';
import { streamLifecycleEvents } from './ovenmediaengine/stream.js';

/**
 * The `ovenmediaengine` pack: every category and type of OvenMediaEngine's
 * event log (Enterprise "Event Specification", v0.18.1.0+), with OME's names:
 * `category` is the OME category (`StreamEvent`), the event name the OME type
 * (`StreamCreated`), and the record fields `level`, `cause`, `snapshot`,
 * `summary` and `sourceId` map onto Herald's event record one to one.
 *
 * - **Levels** are OME's (Info → info, Warning → warning, Error → error).
 *   RestApiResponded is info, raised with `level: 'error'` for an error reply.
 * - **Causes.** A type with a single cause declares it as the default cause;
 *   AbnormalStreamDetected has four, so each raise passes its own
 *   (`ABNORMAL_STREAM_CAUSES`).
 * - **Snapshots.** `snapshot: true` where the spec lists one; the snapshot
 *   itself is free-form JSON passed per raise.
 * - **Params** are the values the spec names in each type's description
 *   (plus the vhost/app/stream names behind `sourceId`), camelCase as in
 *   OME's JSON. Summaries of StreamCreated, StreamPrepared and
 *   PushPublishingStarted are OME's own; the others follow their pattern.
 */
export const ovenmediaenginePack: readonly EventDef[] = [
  ...serverEvents,
  ...streamLifecycleEvents,
  ...channelEvents,
  ...outputEvents,
  ...apiEvents,
];

export * from './ovenmediaengine/server.js';
export * from './ovenmediaengine/stream.js';
export * from './ovenmediaengine/channels.js';
export * from './ovenmediaengine/outputs.js';
export * from './ovenmediaengine/api.js';
