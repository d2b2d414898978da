/** Why a delimiter cannot be used, or undefined when it can. */
export function delimiterProblem(delimiter: string): string | undefined {
  if (delimiter.length === 0) return 'must not be empty';
  if (/[\n\r\\]/.test(delimiter)) return 'must not contain a newline, a carriage return or a backslash';
  if (delimiter[0] === 'n' || delimiter[0] === 'r') return 'must not start with "n" or "r" (they are escape letters)';
  return undefined;
}
