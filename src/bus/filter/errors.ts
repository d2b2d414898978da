export interface FilterSyntaxErrorDetails {
  /** 0-based character offset into the filter source. */
  readonly position: number;
  /** What the parser wanted at `position`, in words. */
  readonly expected: string;
  /** What it saw instead, in words (e.g. `end of input`, `'>='`). */
  readonly found: string;
  /** A rule that was broken, shown before the expected/found part. */
  readonly reason?: string;
  /** A suggestion, shown after the expected/found part. */
  readonly hint?: string;
}

function formatMessage(details: FilterSyntaxErrorDetails): string {
  const base = `expected ${details.expected} but found ${details.found}`;
  const body = details.reason === undefined ? base : `${details.reason} (${base})`;
  const withHint = details.hint === undefined ? body : `${body}; ${details.hint}`;
  return `Filter syntax error at position ${details.position}: ${withHint}`;
}

/**
 * Thrown by `parseFilter`/`compileFilter`. Callers should match on `code` rather
 * than `instanceof`, since two copies of the package would break `instanceof`.
 */
export class FilterSyntaxError extends Error {
  readonly code = 'HERALD_ERR_FILTER_SYNTAX' as const;
  readonly position: number;
  readonly expected: string;
  readonly found: string;

  constructor(details: FilterSyntaxErrorDetails) {
    super(formatMessage(details));
    this.name = 'FilterSyntaxError';
    this.position = details.position;
    this.expected = details.expected;
    this.found = details.found;
  }
}
