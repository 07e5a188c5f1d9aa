// Plain JavaScript that any Node parses: the version check runs before fakepsp itself loads,
// so an old Node gets one clear line instead of a syntax or module error from deep inside.

/** The oldest Node.js fakepsp runs on (package.json `engines`). */
export const nodeVersionNeeded = '22.12.0';

/**
 * Why this Node.js cannot run fakepsp, or undefined when it can.
 * @param {string} version e.g. process.versions.node
 * @returns {string | undefined}
 */
export function nodeVersionProblem(version) {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [neededMajor, neededMinor] = nodeVersionNeeded.split('.').map(Number);
  if (major > neededMajor || (major === neededMajor && minor >= neededMinor)) return undefined;
  return `fakepsp needs Node.js ${nodeVersionNeeded} or newer; this is Node.js ${version}. Install a newer Node (https://nodejs.org), or run it with one: npx -p node@24 fakepsp …`;
}
