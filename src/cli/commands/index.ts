import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerEvents } from './events.js';
import { registerServe } from './serve.js';

/** Every verb, one line each. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerServe,
  registerEvents,
  registerConfig,
];
