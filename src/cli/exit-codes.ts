/** CLI exit codes, a fixed contract for scripts. */
export const EXIT = Object.freeze({
  OK: 0,
  /** The server answered with an error. */
  SERVER_ERROR: 1,
  USAGE: 2,
  CANNOT_CONNECT: 3,
});

/** Thrown by verbs to end with a given code and message (printed to stderr). */
export class CliExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}
