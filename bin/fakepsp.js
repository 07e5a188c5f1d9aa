#!/usr/bin/env node
// The published entry point runs the compiled CLI: dist/, which `prepack` builds into the tarball.
// (Not `prepare`: npm 11 lists a tarball's `prepare` as an install script to approve, and
// approving it changes nothing, as npm never runs it for a tarball.)
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem !== undefined) {
  console.error(problem);
  process.exit(2);
}
await import('../dist/cli/main.js');
