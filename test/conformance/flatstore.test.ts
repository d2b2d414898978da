import { createFlatstoreFactory } from '../../src/backends/flatstore/index.js';
import { parseFlatstore } from '../../src/backends/flatstore/reader.js';
import { backendConformance } from './backend-suite.js';
import { fileDestination } from './file-destination.js';

backendConformance({
  name: 'flatstore',
  setup: async (t) => fileDestination(t, createFlatstoreFactory(), 'flatstore', (text) => parseFlatstore(text).map((record) => record.values[2])),
});
