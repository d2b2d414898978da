import { Type } from '@sinclair/typebox';

/** Core events about the Herald process itself (docs/core-events.md). */
export const CoreEventsSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Raise core events about this process.' }),
}, { additionalProperties: false, default: {} });
