/** JSON.parse that reports the failing byte offset instead of throwing. */
export type JsonParse = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

const POSITION = /position (\d+)/;

export function parseJsonText(text: string): JsonParse {
  // A SyntaxError's stack trace is most of the cost of refusing bad JSON; nobody reads it here.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = POSITION.exec(message);
    // V8 reports a UTF-16 index; the byte offset is what an operator can find with `dd`/`xxd`.
    const where = position !== null ? ` at byte ${Buffer.byteLength(text.slice(0, Number(position[1])))}` : '';
    return { ok: false, message: `Invalid JSON${where}: ${message.slice(0, 120)}` };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
