#!/usr/bin/env node
// The published entry point runs the compiled CLI (npm runs `prepare`, which builds dist/).
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem !== undefined) {
  console.error(problem);
  process.exit(2);
}
await import('../dist/cli/main.js');
