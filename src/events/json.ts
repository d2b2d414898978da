/** A JSON value, as carried by `json` params and event snapshots. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
