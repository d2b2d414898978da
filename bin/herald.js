#!/usr/bin/env node
// Runs the compiled CLI (built by `npm install` via the prepare script).
import '../dist/src/cli/bin.js';
