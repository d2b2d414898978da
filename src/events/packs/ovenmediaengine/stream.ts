import { param } from '../../params.js';
import { defineOmeEvent, SINCE_0_18_1_2, streamParams } from './define.js';

/** StreamEvent, part 1: the input stream lifecycle and stream anomalies. */
const CATEGORY = 'StreamEvent';

/** Stream ID, type and media source: what the lifecycle events report. */
const lifecycleParams = {
  ...streamParams,
  streamId: param.int('The stream id.'),
  streamType: param.string('The stream (source) type, e.g. Rtmp.'),
  sourceUrl: param.string('The media source, e.g. TCP://172.17.0.1:44004.'),
};

export const StreamCreated = defineOmeEvent({
  name: 'StreamCreated',
  category: CATEGORY,
  level: 'info',
  description: 'A new stream was created.',
  params: lifecycleParams,
  summary: 'Stream created. Id: {streamId}, StreamType: {streamType}, SourceUrl: {sourceUrl}',
});

export const StreamPrepared = defineOmeEvent({
  name: 'StreamPrepared',
  category: CATEGORY,
  level: 'info',
  description: 'The stream is prepared (its tracks are known). The snapshot holds the stream details and tracks.',
  params: lifecycleParams,
  snapshot: true,
  summary: 'Stream prepared. Id: {streamId}, StreamType: {streamType}, SourceUrl: {sourceUrl}',
});

export const StreamDeleted = defineOmeEvent({
  name: 'StreamDeleted',
  category: CATEGORY,
  level: 'info',
  description: 'A stream was deleted.',
  params: lifecycleParams,
  summary: 'Stream deleted. Id: {streamId}, StreamType: {streamType}, SourceUrl: {sourceUrl}',
});

export const StreamCreationFailed = defineOmeEvent({
  name: 'StreamCreationFailed',
  category: CATEGORY,
  level: 'error',
  description: 'A stream could not be created because a stream with the same name exists; `stream` is the duplicated name.',
  params: streamParams,
  cause: 'DuplicatedStreamName',
  summary: 'Stream creation failed. Duplicated stream name: {stream}',
});

/** The causes OvenMediaEngine reports with AbnormalStreamDetected; pass one as the raise's `cause`. */
export const ABNORMAL_STREAM_CAUSES = [
  'BFrameDetected',
  'AbnormalIncreasedTimestamp',
  'AbnormalFpsDetected',
  'LongKeyFrameIntervalDetected',
] as const;

export const AbnormalStreamDetected = defineOmeEvent({
  name: 'AbnormalStreamDetected',
  category: CATEGORY,
  level: 'warning',
  description:
    'The input stream is abnormal; the snapshot holds the track information. The cause, given per raise, is one of: '
    + 'BFrameDetected (B-frames detected), AbnormalIncreasedTimestamp (abnormal timestamp), '
    + `AbnormalFpsDetected (abnormal framerate; ${SINCE_0_18_1_2}), `
    + `LongKeyFrameIntervalDetected (keyframe interval over 4 seconds; ${SINCE_0_18_1_2}).`,
  params: {
    ...streamParams,
    framerate: param.float('The input stream framerate; reported with LongKeyFrameIntervalDetected.').optional(),
  },
  snapshot: true,
  summary: 'Abnormal stream detected: {stream}',
});

export const streamLifecycleEvents = [
  StreamCreated,
  StreamPrepared,
  StreamDeleted,
  StreamCreationFailed,
  AbnormalStreamDetected,
] as const;
