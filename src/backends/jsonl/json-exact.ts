/**
 * JSON.parse that keeps every digit of integers beyond 2^53 as bigint. Node 20's
 * JSON.parse cannot (no reviver source text), and jsonl writes int64 params as
 * plain JSON numbers. Small on purpose: strings are handed to JSON.parse.
 */
export function parseJsonExact(text: string): unknown {
  const parser = new ExactParser(text);
  const value = parser.value();
  parser.end();
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\.)*"/y;
const SPACE = /[ \t\n\r]*/y;

class ExactParser {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  value(): unknown {
    this.#space();
    const char = this.#text[this.#at];
    if (char === '{') return this.#object();
    if (char === '[') return this.#array();
    if (char === '"') return this.#string();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.#text.startsWith(word, this.#at)) {
        this.#at += word.length;
        return value;
      }
    }
    return this.#number();
  }

  end(): void {
    this.#space();
    if (this.#at !== this.#text.length) this.#fail('end of input');
  }

  #object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.#at++;
    if (this.#peek() === '}') return this.#close(out);
    for (;;) {
      this.#space();
      const key = this.#string();
      this.#expect(':');
      out[key] = this.value();
      if (this.#peek() === '}') return this.#close(out);
      this.#expect(',');
    }
  }

  #array(): unknown[] {
    const out: unknown[] = [];
    this.#at++;
    if (this.#peek() === ']') return this.#close(out);
    for (;;) {
      out.push(this.value());
      if (this.#peek() === ']') return this.#close(out);
      this.#expect(',');
    }
  }

  #string(): string {
    STRING.lastIndex = this.#at;
    const match = STRING.exec(this.#text);
    if (match === null) this.#fail('a string');
    this.#at += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  #number(): number | bigint {
    NUMBER.lastIndex = this.#at;
    const match = NUMBER.exec(this.#text);
    if (match === null) this.#fail('a value');
    this.#at += match[0].length;
    const number = Number(match[0]);
    const integer = match[1] === undefined && match[2] === undefined;
    return integer && !Number.isSafeInteger(number) ? BigInt(match[0]) : number;
  }

  #peek(): string | undefined {
    this.#space();
    return this.#text[this.#at];
  }

  #close<T>(value: T): T {
    this.#at++;
    return value;
  }

  #expect(char: string): void {
    if (this.#peek() !== char) this.#fail(`"${char}"`);
    this.#at++;
  }

  #space(): void {
    SPACE.lastIndex = this.#at;
    SPACE.exec(this.#text);
    this.#at = SPACE.lastIndex;
  }

  #fail(expected: string): never {
    throw new SyntaxError(`Expected ${expected} at position ${this.#at}`);
  }
}
