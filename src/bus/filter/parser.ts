import type { ComparisonOp, FilterNode, ValueLiteral } from './ast.js';
import { FilterSyntaxError } from './errors.js';
import { describeToken, Lexer, type Token } from './lexer.js';
import { FILTER_LEVEL_NAMES, FILTER_LEVELS, filterLevelOf } from './levels.js';
import { parseDecimal } from './numeric.js';

/**
 * Bounds parenthesis/NOT nesting so that parse, compile and match recursion
 * can never overflow the stack, whatever a remote subscriber sends.
 */
export const MAX_FILTER_NESTING = 128;

const OPERATORS = '=, <, <=, >, >=';
const LEVEL_LIST = `${FILTER_LEVELS.join(', ')}; or ${FILTER_LEVEL_NAMES.slice(FILTER_LEVELS.length).join(', ')}`;

/**
 * Recursive descent over
 *   or         := and ('OR' and)*
 *   and        := unary ('AND' unary)*
 *   unary      := 'NOT' unary | primary
 *   primary    := '(' or ')' | comparison
 *   comparison := key op value
 * which gives NOT > AND > OR, unlike Dovecot's equal AND/OR precedence.
 */
class Parser {
  private readonly lexer: Lexer;

  constructor(source: string) {
    this.lexer = new Lexer(source);
  }

  parse(): FilterNode {
    if (this.lexer.peek().kind === 'eof') {
      throw this.error(this.lexer.peek(), 'a filter expression', { hint: 'an empty filter is not allowed' });
    }
    const node = this.parseOr(0);
    const trailing = this.lexer.peek();
    if (trailing.kind !== 'eof') {
      const hint = trailing.kind === 'rparen' ? "this ')' has no matching '('" : undefined;
      throw this.error(trailing, 'AND, OR or end of input', { hint });
    }
    return node;
  }

  private parseOr(depth: number): FilterNode {
    const operands = [this.parseAnd(depth)];
    while (this.lexer.peek().kind === 'or') {
      this.lexer.next();
      operands.push(this.parseAnd(depth));
    }
    return operands.length === 1 ? operands[0] : { type: 'or', operands };
  }

  private parseAnd(depth: number): FilterNode {
    const operands = [this.parseUnary(depth)];
    while (this.lexer.peek().kind === 'and') {
      this.lexer.next();
      operands.push(this.parseUnary(depth));
    }
    return operands.length === 1 ? operands[0] : { type: 'and', operands };
  }

  private parseUnary(depth: number): FilterNode {
    const token = this.lexer.peek();
    if (token.kind !== 'not') return this.parsePrimary(depth);
    this.checkDepth(token, depth);
    this.lexer.next();
    return { type: 'not', operand: this.parseUnary(depth + 1) };
  }

  private parsePrimary(depth: number): FilterNode {
    const token = this.lexer.next();
    if (token.kind === 'word' || token.kind === 'string') return this.parseComparison(token);
    if (token.kind !== 'lparen') {
      const hint = token.kind === 'and' || token.kind === 'or' ? `${token.text} needs a condition on each side` : undefined;
      throw this.error(token, "a key, NOT or '('", { hint });
    }
    this.checkDepth(token, depth);
    const inner = this.parseOr(depth + 1);
    const close = this.lexer.next();
    if (close.kind !== 'rparen') {
      throw this.error(close, "AND, OR or ')'", { hint: `the '(' at position ${token.position} is not closed` });
    }
    return inner;
  }

  private parseComparison(keyToken: Token): FilterNode {
    if (keyToken.text === '') throw this.error(keyToken, 'a non-empty key');
    const opToken = this.lexer.next();
    if (opToken.kind !== 'op') {
      throw this.error(opToken, `an operator (${OPERATORS}) after '${keyToken.text}'`);
    }
    const op = opToken.text as ComparisonOp;
    const valueToken = this.lexer.next();
    if (valueToken.kind !== 'word' && valueToken.kind !== 'string') {
      const isKeyword = valueToken.kind === 'and' || valueToken.kind === 'or' || valueToken.kind === 'not';
      const hint = isKeyword ? `quote it ("${valueToken.text}") to use it as a value` : undefined;
      throw this.error(valueToken, `a value after '${op}'`, { hint });
    }
    const value: ValueLiteral = { text: valueToken.text, glob: valueToken.glob, position: valueToken.position };
    return this.buildComparison(keyToken, opToken, op, value);
  }

  private buildComparison(keyToken: Token, opToken: Token, op: ComparisonOp, value: ValueLiteral): FilterNode {
    const key = keyToken.text;
    const position = keyToken.position;
    if (key === 'event' || key === 'category') {
      if (op !== '=') {
        throw this.error(opToken, `'=' after '${key}'`, { reason: 'Only params and level support inequality comparisons' });
      }
      return { type: key, position, value };
    }
    if (key === 'level') {
      const level = filterLevelOf(value.text);
      if (level === undefined) {
        throw this.errorAt(value.position, `a level name (one of ${LEVEL_LIST})`, describeValue(value));
      }
      return { type: 'level', position, op, level };
    }
    if (op !== '=' && parseDecimal(value.text) === undefined) {
      throw this.errorAt(value.position, `a number after '${op}'`, describeValue(value), {
        hint: `'${op}' compares params numerically`,
      });
    }
    return { type: 'param', position, key, op, value };
  }

  private checkDepth(token: Token, depth: number): void {
    if (depth < MAX_FILTER_NESTING) return;
    throw this.error(token, `at most ${MAX_FILTER_NESTING} nested '(' or NOT`);
  }

  private error(token: Token, expected: string, extra: { reason?: string; hint?: string } = {}): FilterSyntaxError {
    return this.errorAt(token.position, expected, describeToken(token), extra);
  }

  private errorAt(
    position: number, expected: string, found: string, extra: { reason?: string; hint?: string } = {},
  ): FilterSyntaxError {
    return new FilterSyntaxError({ position, expected, found, ...extra });
  }
}

function describeValue(value: ValueLiteral): string {
  return value.text === '' ? 'empty string ""' : `'${value.text}'`;
}

/** Parses a filter into its AST; throws FilterSyntaxError. */
export function parseFilter(source: string): FilterNode {
  return new Parser(source).parse();
}
