import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerErrors } from './errors.js';
import { registerEvents } from './events.js';
import { registerFlat } from './flat.js';
import { registerServe } from './serve.js';
import { registerMi } from './mi.js';
import { registerSubscribe } from './subscribe.js';
import { registerUnsubscribe } from './unsubscribe.js';
import { registerSubscribers } from './subscribers.js';
import { registerRaise } from './raise.js';
import { registerRotate } from './rotate.js';
import { registerStatus } from './status.js';
import { registerStats } from './stats.js';
import { registerTail } from './tail.js';
import { registerMiDocs } from './mi-docs.js';
import { registerTrace } from './trace.js';
import { registerSearch } from './search.js';

/** Every verb, one line each. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerServe,
  registerEvents,
  registerErrors,
  registerConfig,
  registerMi,
  registerSubscribe,
  registerUnsubscribe,
  registerSubscribers,
  registerRaise,
  registerRotate,
  registerStatus,
  registerStats,
  registerTail,
  registerMiDocs,
  registerFlat,
  registerTrace,
  registerSearch,
];
