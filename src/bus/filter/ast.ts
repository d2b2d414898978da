import type { FilterLevel } from './levels.js';

export type ComparisonOp = '=' | '<' | '<=' | '>' | '>=';

/**
 * A value as written in the filter. `text` is the unescaped string (used for
 * numbers, level names and keys); `glob` keeps the wildcard information: an
 * unescaped `*`/`?` is a wildcard and `\` escapes the next character.
 */
export interface ValueLiteral {
  readonly text: string;
  readonly glob: string;
  readonly position: number;
}

export interface AndNode {
  readonly type: 'and';
  readonly operands: readonly FilterNode[];
}

export interface OrNode {
  readonly type: 'or';
  readonly operands: readonly FilterNode[];
}

export interface NotNode {
  readonly type: 'not';
  readonly operand: FilterNode;
}

export interface EventNameNode {
  readonly type: 'event';
  readonly position: number;
  readonly value: ValueLiteral;
}

export interface CategoryNode {
  readonly type: 'category';
  readonly position: number;
  readonly value: ValueLiteral;
}

export interface LevelNode {
  readonly type: 'level';
  readonly position: number;
  readonly op: ComparisonOp;
  readonly level: FilterLevel;
}

export interface ParamNode {
  readonly type: 'param';
  readonly position: number;
  readonly key: string;
  readonly op: ComparisonOp;
  readonly value: ValueLiteral;
}

/**
 * Parsed filter. AND/OR are n-ary so that long chains stay flat: a deep binary
 * tree would make compile and match recurse once per operand.
 */
export type FilterNode = AndNode | OrNode | NotNode | EventNameNode | CategoryNode | LevelNode | ParamNode;
