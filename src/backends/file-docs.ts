import type { TObject } from '@sinclair/typebox';
import { FlatstoreOptionsSchema } from './flatstore/schema.js';
import { JsonlOptionsSchema } from './jsonl/schema.js';

/** The file backends' pages under docs/backends/ and the schema each page's options table comes from. */
export const FILE_BACKEND_PAGES: ReadonlyArray<{ readonly page: string; readonly schema: TObject }> = [
  { page: 'docs/backends/flatstore.md', schema: FlatstoreOptionsSchema },
  { page: 'docs/backends/jsonl.md', schema: JsonlOptionsSchema },
];
