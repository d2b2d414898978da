import { EXIT } from './exit-codes.js';

/**
 * `herald … | head`: once the reader has closed the pipe there is nobody left
 * to tell anything, so a write failing with EPIPE ends the process quietly
 * with 0 instead of an unhandled-error stack trace (issue 12, point 20). Any
 * other stream error stays fatal and visible.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(EXIT.OK);
  });
}
