#!/usr/bin/env node
// The published entry point runs the compiled CLI (npm runs `prepare`, which builds dist/).
await import('../dist/cli/main.js');
