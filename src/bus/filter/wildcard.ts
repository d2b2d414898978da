/**
 * Glob matching for `*` (any run, including empty) and `?` (exactly one code
 * point), with `\` escaping the next character.
 *
 * Deliberately not RegExp: filters may come from remote subscribers, and a
 * pattern such as `*a*a*a*a*b` compiled to a backtracking regex can take
 * polynomial-to-exponential time. Matching segment by segment (leftmost-first
 * placement is optimal because `*` absorbs any gap) is O(input × pattern).
 */
export type StringMatcher = (input: string) => boolean;

/** One `*`-free run of the pattern: literal strings and `null` for `?`. */
interface Segment {
  readonly units: readonly (string | null)[];
  /** The whole segment when it has no `?`, enabling startsWith/indexOf. */
  readonly literal: string | undefined;
  readonly codePoints: number;
}

const MATCH_ALL: StringMatcher = () => true;

/** Whether a glob contains an unescaped `*` or `?`. */
export function hasWildcard(glob: string): boolean {
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i];
    if (ch === '\\') i += 1;
    else if (ch === '*' || ch === '?') return true;
  }
  return false;
}

/**
 * Compiles a glob once. Case-insensitive matching lower-cases the pattern now
 * and the input per call, so both the literal and wildcard paths agree.
 */
export function compileWildcard(glob: string, caseInsensitive: boolean): StringMatcher {
  const fold = caseInsensitive ? (s: string) => s.toLowerCase() : (s: string) => s;
  const segments = splitGlob(glob).map((raw) => buildSegment(raw, fold));
  const matcher = matcherFor(segments);
  if (matcher === MATCH_ALL || !caseInsensitive) return matcher;
  return (input) => matcher(input.toLowerCase());
}

function matcherFor(segments: readonly Segment[]): StringMatcher {
  const first = segments[0];
  if (segments.length === 1) {
    const literal = first.literal;
    return literal !== undefined ? (input) => input === literal : (input) => matchAt(input, 0, first) === input.length;
  }
  const last = segments[segments.length - 1];
  const middle = segments.slice(1, -1);
  if (middle.length === 0 && first.literal === '' && last.literal === '') return MATCH_ALL;
  if (middle.length === 0 && first.literal !== undefined && last.literal !== undefined) {
    const prefix = first.literal;
    const suffix = last.literal;
    const minLength = prefix.length + suffix.length;
    return (input) => input.length >= minLength && input.startsWith(prefix) && input.endsWith(suffix);
  }
  return (input) => matchStarred(input, first, middle, last);
}

/** Splits on unescaped `*`; each piece keeps its escapes. Adjacent stars collapse. */
function splitGlob(glob: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i];
    if (ch === '\\' && i + 1 < glob.length) {
      current += ch + glob[i + 1];
      i += 1;
    } else if (ch === '*') {
      pieces.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  pieces.push(current);
  return pieces.filter((piece, index) => piece !== '' || index === 0 || index === pieces.length - 1);
}

function buildSegment(raw: string, fold: (s: string) => string): Segment {
  const units: (string | null)[] = [];
  let text = '';
  let codePoints = 0;
  const flush = (): void => {
    if (text === '') return;
    const folded = fold(text);
    units.push(folded);
    codePoints += [...folded].length;
    text = '';
  };
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i];
    if (ch === '?') {
      flush();
      units.push(null);
      codePoints += 1;
    } else {
      if (ch === '\\' && i + 1 < raw.length) i += 1;
      text += raw[i];
    }
  }
  flush();
  const literal = units.every((unit) => unit !== null) ? units.join('') : undefined;
  return { units, literal, codePoints };
}

function codePointLength(input: string, at: number): number {
  const code = input.charCodeAt(at);
  if (code < 0xd800 || code > 0xdbff || at + 1 >= input.length) return 1;
  const next = input.charCodeAt(at + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

/** Index after the segment if it matches at `at`, else -1. */
function matchAt(input: string, at: number, segment: Segment): number {
  if (segment.literal !== undefined) return input.startsWith(segment.literal, at) ? at + segment.literal.length : -1;
  let pos = at;
  for (const unit of segment.units) {
    if (unit === null) {
      if (pos >= input.length) return -1;
      pos += codePointLength(input, pos);
    } else if (input.startsWith(unit, pos)) {
      pos += unit.length;
    } else {
      return -1;
    }
  }
  return pos;
}

/** Where a segment anchored at the end of the input must start, or -1. */
function tailStart(input: string, segment: Segment): number {
  if (segment.literal !== undefined) return input.length - segment.literal.length;
  let pos = input.length;
  for (let n = 0; n < segment.codePoints; n += 1) {
    if (pos <= 0) return -1;
    pos -= 1;
    const code = input.charCodeAt(pos);
    if (code >= 0xdc00 && code <= 0xdfff && pos > 0) {
      const previous = input.charCodeAt(pos - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) pos -= 1;
    }
  }
  return pos;
}

/** Earliest end of `segment` placed somewhere in [from, limit], or -1. */
function findWithin(input: string, from: number, limit: number, segment: Segment): number {
  if (segment.literal !== undefined) {
    const index = input.indexOf(segment.literal, from);
    const end = index + segment.literal.length;
    return index >= 0 && end <= limit ? end : -1;
  }
  for (let start = from; start <= limit; start += 1) {
    const end = matchAt(input, start, segment);
    if (end >= 0 && end <= limit) return end;
  }
  return -1;
}

function matchStarred(input: string, first: Segment, middle: readonly Segment[], last: Segment): boolean {
  let pos = matchAt(input, 0, first);
  if (pos < 0) return false;
  const limit = tailStart(input, last);
  if (limit < pos || matchAt(input, limit, last) !== input.length) return false;
  for (const segment of middle) {
    pos = findWithin(input, pos, limit, segment);
    if (pos < 0) return false;
  }
  return true;
}
