import type { RotationInfo } from '../../backends/shared/shared-file.js';
import { defineCommand, type MiCommand } from '../../runtime/mi/command.js';

/** Rotates the events file(s) open at `path` (logrotate's "mv, then rotate"). */
export type RotateFiles = (path: string) => Promise<readonly RotationInfo[]>;

export interface FlatstoreCommandDeps {
  /** The file backends' rotate (`rotateFiles` from src/backends/shared/file-registry.ts). */
  readonly rotate: RotateFiles;
}

/** `evi_flat_rotate`: what logrotate's postrotate script calls. */
export function flatstoreCommands(deps: FlatstoreCommandDeps): MiCommand[] {
  return [
    defineCommand({
      name: 'evi_flat_rotate',
      aliases: ['event_flatstore:rotate'],
      description: 'Closes and reopens the flatstore or jsonl file open at `path`, after logrotate moved it away: every line '
        + 'written before the call is in the moved file, every later one in the new file. Raises E_FLATSTORE_ROTATION.',
      params: [{ name: 'path', type: 'string', required: true, description: 'The file path as subscribed (without the transport), e.g. /var/log/herald/ev.csv.' }],
      example: {
        params: { path: '/var/log/herald/log.csv' },
        result: { path: '/var/log/herald/log.csv', rotated: 1, files: [{ filename: '/var/log/herald/log.csv', old_filename: '/var/log/herald/log.csv' }] },
      },
      handler: async ({ path }) => {
        const rotations = await deps.rotate(path);
        return {
          path,
          rotated: rotations.length,
          files: rotations.map((info) => ({ filename: info.filename, old_filename: info.oldFilename })),
        };
      },
    }),
  ];
}
