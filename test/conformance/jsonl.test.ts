import { createJsonlFactory } from '../../src/backends/jsonl/index.js';
import { parseJsonl } from '../../src/backends/jsonl/reader.js';
import { backendConformance } from './backend-suite.js';
import { fileDestination } from './file-destination.js';

backendConformance({
  name: 'jsonl',
  setup: async (t) => fileDestination(t, createJsonlFactory(), 'jsonl', (text) => parseJsonl(text).map((record) => String(record.params.extra))),
});
