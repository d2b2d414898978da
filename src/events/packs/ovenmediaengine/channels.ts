import { param } from '../../params.js';
import { defineOmeEvent, SINCE_0_18_1_2, streamParams } from './define.js';

/** StreamEvent, part 2: scheduled channels (.sch files) and multiplex channels (.mux files). */
const CATEGORY = 'StreamEvent';

const scheduleParams = { ...streamParams, schFilePath: param.string('The path of the .sch file.') };
const muxParams = { ...streamParams, muxFilePath: param.string('The path of the .mux file.') };
const itemParams = {
  ...streamParams,
  program: param.string('The program.'),
  schedule: param.string('The schedule.'),
  item: param.string('The item information.'),
  fallback: param.bool('Whether the channel is playing its fallback.'),
};

export const ScheduledChannelCreated = defineOmeEvent({
  name: 'ScheduledChannelCreated',
  category: CATEGORY,
  level: 'info',
  description: 'A scheduled channel was created. The snapshot holds the scheduled channel information.',
  params: scheduleParams,
  snapshot: true,
  summary: 'Scheduled channel created. File: {schFilePath}',
});

export const ScheduledChannelUpdated = defineOmeEvent({
  name: 'ScheduledChannelUpdated',
  category: CATEGORY,
  level: 'info',
  description: 'A scheduled channel was updated. The snapshot holds the scheduled channel information.',
  params: scheduleParams,
  snapshot: true,
  summary: 'Scheduled channel updated. File: {schFilePath}',
});

export const ScheduledChannelDeleted = defineOmeEvent({
  name: 'ScheduledChannelDeleted',
  category: CATEGORY,
  level: 'info',
  description: 'A scheduled channel was deleted.',
  params: scheduleParams,
  summary: 'Scheduled channel deleted. File: {schFilePath}',
});

export const ScheduledChannelItemChanged = defineOmeEvent({
  name: 'ScheduledChannelItemChanged',
  category: CATEGORY,
  level: 'info',
  description: 'The item a scheduled channel plays changed.',
  params: itemParams,
  summary: 'Scheduled channel item changed. Program: {program}, Schedule: {schedule}, Item: {item}, Fallback: {fallback}',
});

export const ScheduledChannelPlaybackError = defineOmeEvent({
  name: 'ScheduledChannelPlaybackError',
  category: CATEGORY,
  level: 'warning',
  description: `A packet could not be received while playing a live item of a scheduled channel. ${SINCE_0_18_1_2}`,
  params: itemParams,
  cause: 'FailedToPopPacket',
  summary: 'Scheduled channel playback error. Program: {program}, Schedule: {schedule}, Item: {item}, Fallback: {fallback}',
});

export const MultiplexChannelCreated = defineOmeEvent({
  name: 'MultiplexChannelCreated',
  category: CATEGORY,
  level: 'info',
  description: 'A multiplex channel was created. The snapshot holds the multiplex channel information.',
  params: muxParams,
  snapshot: true,
  summary: 'Multiplex channel created. File: {muxFilePath}',
});

export const MultiplexChannelUpdated = defineOmeEvent({
  name: 'MultiplexChannelUpdated',
  category: CATEGORY,
  level: 'info',
  description: 'A multiplex channel was updated. The snapshot holds the multiplex channel information.',
  params: muxParams,
  snapshot: true,
  summary: 'Multiplex channel updated. File: {muxFilePath}',
});

export const MultiplexChannelDeleted = defineOmeEvent({
  name: 'MultiplexChannelDeleted',
  category: CATEGORY,
  level: 'info',
  description: 'A multiplex channel was deleted.',
  params: muxParams,
  summary: 'Multiplex channel deleted. File: {muxFilePath}',
});

export const channelEvents = [
  ScheduledChannelCreated,
  ScheduledChannelUpdated,
  ScheduledChannelDeleted,
  ScheduledChannelItemChanged,
  ScheduledChannelPlaybackError,
  MultiplexChannelCreated,
  MultiplexChannelUpdated,
  MultiplexChannelDeleted,
] as const;
