import type { FilterNode, ValueLiteral } from './ast.js';

const BARE = /^[A-Za-z0-9:._*?/%+@-]+$/;
const KEYWORD = /^(?:and|or|not)$/i;

/**
 * Prints an AST back as filter source with every AND/OR group below the root
 * in parentheses, so the grouping the parser chose is visible.
 */
export function formatFilter(node: FilterNode): string {
  return formatNode(node, true);
}

function formatNode(node: FilterNode, root: boolean): string {
  switch (node.type) {
    case 'and':
    case 'or': {
      const joined = node.operands.map((operand) => formatNode(operand, false)).join(` ${node.type.toUpperCase()} `);
      return root ? joined : `(${joined})`;
    }
    case 'not': return `NOT ${formatNode(node.operand, false)}`;
    case 'level': return `level${node.op}${node.level}`;
    case 'event':
    case 'category': return `${node.type}=${formatValue(node.value)}`;
    case 'param': return `${formatKey(node.key)}${node.op}${formatValue(node.value)}`;
  }
}

function isBare(text: string): boolean {
  return BARE.test(text) && !KEYWORD.test(text);
}

function formatKey(key: string): string {
  return isBare(key) ? key : `"${key.replace(/[\\"]/g, '\\$&')}"`;
}

// Glob escapes (`\\`, `\*`, `\?`) are exactly the quoted-string escapes, so only `"` needs adding.
function formatValue(value: ValueLiteral): string {
  return isBare(value.glob) ? value.glob : `"${value.glob.replace(/"/g, '\\"')}"`;
}
