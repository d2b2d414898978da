import { param } from '../../params.js';
import { defineOmeEvent, streamParams } from './define.js';

/**
 * StreamEvent, part 3: what a stream feeds (recordings, push publishing, HLS
 * dumps). Each Started/Stopped pair is linked with `pairedWith`.
 */
const CATEGORY = 'StreamEvent';

const recordingParams = {
  ...streamParams,
  recordingId: param.string('The recording id.'),
  filePath: param.string('The recording file path.'),
};

const pushParams = {
  ...streamParams,
  pushId: param.string('The push id.'),
  protocol: param.string('The push protocol, e.g. rtmp.'),
  url: param.string('The redistribution URL.'),
  streamKey: param.string('The stream key sent with the URL; empty when none.'),
};

const dumpParams = {
  ...streamParams,
  dumpId: param.string('The dump id.'),
  outputPath: param.string('The path the dump is saved to.'),
};

export const RecordingStarted = defineOmeEvent({
  name: 'RecordingStarted',
  category: CATEGORY,
  level: 'info',
  description: 'A recording started. The snapshot holds the recording information.',
  params: recordingParams,
  snapshot: true,
  pairedWith: 'RecordingStopped',
  summary: 'Recording started. Id: {recordingId}, FilePath: {filePath}',
});

export const RecordingStopped = defineOmeEvent({
  name: 'RecordingStopped',
  category: CATEGORY,
  level: 'info',
  description: 'A recording stopped. The snapshot holds the recording information.',
  params: recordingParams,
  snapshot: true,
  pairedWith: 'RecordingStarted',
  summary: 'Recording stopped. Id: {recordingId}, FilePath: {filePath}',
});

export const PushPublishingStarted = defineOmeEvent({
  name: 'PushPublishingStarted',
  category: CATEGORY,
  level: 'info',
  description: 'Push publishing (redistribution to another server) started. The snapshot holds the push information.',
  params: pushParams,
  snapshot: true,
  pairedWith: 'PushPublishingStopped',
  summary: 'PushPublishing started. Id: {pushId}, Protocol: {protocol}, Url: {url}, StreamKey: {streamKey}',
});

export const PushPublishingStopped = defineOmeEvent({
  name: 'PushPublishingStopped',
  category: CATEGORY,
  level: 'info',
  description: 'Push publishing stopped. The snapshot holds the push information.',
  params: pushParams,
  snapshot: true,
  pairedWith: 'PushPublishingStarted',
  summary: 'PushPublishing stopped. Id: {pushId}, Protocol: {protocol}, Url: {url}, StreamKey: {streamKey}',
});

export const HLSDumpStarted = defineOmeEvent({
  name: 'HLSDumpStarted',
  category: CATEGORY,
  level: 'info',
  description: 'An HLS dump started. The snapshot holds the dump information.',
  params: dumpParams,
  snapshot: true,
  pairedWith: 'HLSDumpStopped',
  summary: 'HLSDump started. Id: {dumpId}, OutputPath: {outputPath}',
});

export const HLSDumpStopped = defineOmeEvent({
  name: 'HLSDumpStopped',
  category: CATEGORY,
  level: 'info',
  description: 'An HLS dump stopped. The snapshot holds the dump information.',
  params: dumpParams,
  snapshot: true,
  pairedWith: 'HLSDumpStarted',
  summary: 'HLSDump stopped. Id: {dumpId}, OutputPath: {outputPath}',
});

export const outputEvents = [
  RecordingStarted,
  RecordingStopped,
  PushPublishingStarted,
  PushPublishingStopped,
  HLSDumpStarted,
  HLSDumpStopped,
] as const;
