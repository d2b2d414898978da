import { HeraldError } from '../../errors/herald-error.js';
import { formatMode } from './option-parse.js';

/** File roots a backend may write under: the configured ones, else the data dir. */
export function rootsOf(ctx: { readonly fileRoots: readonly string[]; readonly dataDir: string }): readonly string[] {
  return ctx.fileRoots.length > 0 ? ctx.fileRoots : [ctx.dataDir];
}

/** `files.max_permissions` when not configured: group may write, others only read. */
export const DEFAULT_MAX_PERMISSIONS = 0o664;

/** Why `mode` is refused under the operator's cap, or undefined when it fits. */
export function permissionCapProblem(mode: number, maxPermissions: number): string | undefined {
  const extra = mode & ~maxPermissions;
  if (extra === 0) return undefined;
  return `${formatMode(mode)} allows more than files.max_permissions (${formatMode(maxPermissions)}): bits ${formatMode(extra)}`;
}

/** @throws HeraldError HERALD_ERR_BAD_SOCKET when the socket's file_permissions exceed files.max_permissions. */
export function checkPermissionCap(socket: string, mode: number, maxPermissions: number): void {
  const why = permissionCapProblem(mode, maxPermissions);
  if (why !== undefined) throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: option "file_permissions" ${why}`);
}
