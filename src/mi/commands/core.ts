import { arch, platform } from 'node:process';
import { LEVEL_NAMES, parseLoggerLevel } from '../../events/level.js';
import { defineCommand, type MiCommand } from '../../runtime/mi/command.js';
import { ctime } from '../ctime.js';
import { RPC_ERROR, RpcError } from '../jsonrpc.js';
import type { MiCommandRegistry } from '../../runtime/mi/registry.js';
import { heraldVersion } from '../version.js';

const LOG_LEVELS = [...LEVEL_NAMES, 'silent'];

export interface CoreCommandDeps {
  readonly registry: MiCommandRegistry;
  /** When the daemon started, epoch ms. */
  readonly startedAtMs: number;
  readonly now?: () => number;
}

function whichCommand(deps: CoreCommandDeps): MiCommand {
  return defineCommand({
    name: 'which',
    aliases: ['core:which'],
    description: 'Lists the commands with their aliases and params; with `command`, only that one.',
    params: [{ name: 'command', type: 'string', description: 'A command name or alias to describe.' }],
    example: {
      params: { command: 'uptime' },
      result: [{ name: 'uptime', aliases: ['core:uptime'], description: 'When the daemon started and how long it has run.', params: [] }],
    },
    handler: ({ command }) => {
      if (command === undefined) return deps.registry.describe();
      const found = deps.registry.get(command);
      if (found === undefined) {
        const suggestions = deps.registry.suggest(command);
        throw new RpcError(RPC_ERROR.NOT_FOUND, `No command "${command}"; nearest: ${suggestions.join(', ')}`, { suggestions });
      }
      return deps.registry.describe().filter((entry) => entry.name === found.name);
    },
  });
}

function versionCommand(): MiCommand {
  return defineCommand({
    name: 'version',
    aliases: ['core:version'],
    description: 'The Herald version and the Node.js runtime it runs on.',
    params: [],
    example: { result: { Server: 'Herald 0.1.0 (node v20.20.2 linux/x64)', version: '0.1.0', node: 'v20.20.2' } },
    handler: () => ({
      Server: `Herald ${heraldVersion()} (node ${process.version} ${platform}/${arch})`,
      version: heraldVersion(),
      node: process.version,
    }),
  });
}

function uptimeCommand(deps: CoreCommandDeps): MiCommand {
  const now = deps.now ?? Date.now;
  return defineCommand({
    name: 'uptime',
    aliases: ['core:uptime'],
    description: 'When the daemon started and how long it has run.',
    params: [],
    example: { result: { Now: 'Sun Nov 22 05:21:46 2026', 'Up since': 'Sun Nov 22 05:01:46 2026', 'Up time': '1200 [sec]', uptime_seconds: 1200 } },
    handler: () => {
      const seconds = Math.max(0, Math.floor((now() - deps.startedAtMs) / 1000));
      return {
        Now: ctime(new Date(now())),
        'Up since': ctime(new Date(deps.startedAtMs)),
        'Up time': `${seconds} [sec]`,
        uptime_seconds: seconds,
      };
    },
  });
}

function logLevelCommand(): MiCommand {
  return defineCommand({
    name: 'log_level',
    aliases: ['core:log_level'],
    description: 'Gets Herald\'s own log level, or sets it when `level` is given (until restart).',
    params: [{ name: 'level', type: 'string', enum: LOG_LEVELS, description: 'New level: any level name or alias (docs/filters.md "Levels"), or silent. The answer gives pino\'s name.' }],
    example: { params: { level: 'debug' }, result: { level: 'debug', previous: 'info' } },
    handler: ({ level: given }, ctx) => {
      const previous = ctx.bus.logger.level;
      const level = parseLoggerLevel(given);
      if (level === undefined) return { level: previous };
      ctx.bus.logger.level = level;
      ctx.logger.info({ level, previous }, 'Log level changed through the management interface.');
      return { level, previous };
    },
  });
}

/** `which`, `version`, `uptime`, `log_level`. */
export function coreCommands(deps: CoreCommandDeps): MiCommand[] {
  return [whichCommand(deps), versionCommand(), uptimeCommand(deps), logLevelCommand()];
}
