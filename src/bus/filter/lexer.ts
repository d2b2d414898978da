import { FilterSyntaxError } from './errors.js';

export type TokenKind = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Unescaped text: the word, the string contents, the operator, or the keyword as written. */
  readonly text: string;
  /** Glob form of word/string tokens; see `ValueLiteral.glob`. Empty for other kinds. */
  readonly glob: string;
  readonly position: number;
}

const WHITESPACE = /[ \t\r\n\f\v]+/y;
// Bare tokens never contain `\`, so their glob form is the text itself.
const BARE = /[A-Za-z0-9:._*?/%+@-]+/y;
const OPERATOR = /<=|>=|[=<>]/y;
const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map([['and', 'and'], ['or', 'or'], ['not', 'not']]);

/** Escapes allowed inside quotes: the unescaped text and how it reads as a glob. */
const ESCAPES: ReadonlyMap<string, { readonly text: string; readonly glob: string }> = new Map([
  ['\\', { text: '\\', glob: '\\\\' }],
  ['"', { text: '"', glob: '"' }],
  ['*', { text: '*', glob: '\\*' }],
  ['?', { text: '?', glob: '\\?' }],
]);

/** How a token reads in an error message. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'eof': return 'end of input';
    case 'and': case 'or': case 'not': return `keyword '${token.text}'`;
    case 'string': return token.text === '' ? 'empty string ""' : `string ${JSON.stringify(token.text)}`;
    default: return `'${token.text}'`;
  }
}

/**
 * On-demand tokenizer: the parser pulls tokens one at a time, so the first
 * error reported is always the leftmost one.
 */
export class Lexer {
  private pos = 0;
  private lookahead: Token | undefined;

  constructor(private readonly source: string) {}

  peek(): Token {
    this.lookahead ??= this.scan();
    return this.lookahead;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private scan(): Token {
    this.skipWhitespace();
    const start = this.pos;
    if (start >= this.source.length) return { kind: 'eof', text: '', glob: '', position: start };
    const ch = this.source[start];
    if (ch === '(' || ch === ')') {
      this.pos += 1;
      return { kind: ch === '(' ? 'lparen' : 'rparen', text: ch, glob: '', position: start };
    }
    if (ch === '"') return this.scanString(start);
    return this.scanOperator(start) ?? this.scanBare(start) ?? this.invalidCharacter(start);
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    if (WHITESPACE.test(this.source)) this.pos = WHITESPACE.lastIndex;
  }

  private scanOperator(start: number): Token | undefined {
    OPERATOR.lastIndex = start;
    const match = OPERATOR.exec(this.source);
    if (match === null) return undefined;
    this.pos = OPERATOR.lastIndex;
    return { kind: 'op', text: match[0], glob: '', position: start };
  }

  private scanBare(start: number): Token | undefined {
    BARE.lastIndex = start;
    const match = BARE.exec(this.source);
    if (match === null) return undefined;
    this.pos = BARE.lastIndex;
    const text = match[0];
    const keyword = KEYWORDS.get(text.toLowerCase());
    return { kind: keyword ?? 'word', text, glob: keyword === undefined ? text : '', position: start };
  }

  private scanString(start: number): Token {
    let text = '';
    let glob = '';
    let i = start + 1;
    while (i < this.source.length && this.source[i] !== '"') {
      const ch = this.source[i];
      if (ch !== '\\') {
        text += ch;
        glob += ch;
        i += 1;
        continue;
      }
      const escape = this.readEscape(i);
      text += escape.text;
      glob += escape.glob;
      i += 2;
    }
    if (i >= this.source.length) {
      throw new FilterSyntaxError({
        position: start, expected: "a closing '\"' for the string started here", found: 'end of input',
      });
    }
    this.pos = i + 1;
    return { kind: 'string', text, glob, position: start };
  }

  private readEscape(at: number): { readonly text: string; readonly glob: string } {
    const next = this.source[at + 1];
    const escape = next === undefined ? undefined : ESCAPES.get(next);
    if (escape !== undefined) return escape;
    throw new FilterSyntaxError({
      position: at,
      expected: 'one of \\\\, \\", \\* or \\? after a backslash',
      found: next === undefined ? 'end of input' : `'\\${next}'`,
      hint: 'write \\\\ for a literal backslash',
    });
  }

  private invalidCharacter(start: number): never {
    const ch = String.fromCodePoint(this.source.codePointAt(start) ?? 0);
    const hint = ch === '!' ? 'negate with NOT key=value' : 'quote values that contain other characters';
    throw new FilterSyntaxError({
      position: start,
      expected: 'a key, value, operator, parenthesis or AND/OR/NOT',
      found: `character '${ch}'`,
      hint,
    });
  }
}
