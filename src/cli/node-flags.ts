// `fakepsp serve` keeps every object it is sent, and under load Node 24's V8 grows the young
// generation to 64 MB semi-spaces: ~100 MB more that only ever holds garbage between
// scavenges. With 8 MB semi-spaces the CPU per request measured the same (interleaved runs of
// the bench's loads) and a million meter events peak under 300 MB (figure 5 read ~275 MB then,
// not ~390). 16 MB would halve a long soak's scavenges (12 % of its main thread at 8 MB, 9-10 % at
// 16), but put figure 5 at 283-290 MB, too near its line.
// V8 also learns, per allocation site, that the objects a site makes outlive their first
// scavenge, and from then on makes them in the old generation: the Stripe objects a request
// builds (a charge, an intent, their events) do, a moment, so each PI confirm left ~5.5 KB in the
// old generation to die there. Without that pretenuring ~0.2 KB a request was promoted, PI
// confirm answered 10-20 % more requests, and a 60 s soak's RSS grew ~55 MB, not ~95.
// With so little promoted, a fixed heap growth of 1.5 times the live size (V8 picks up to 4)
// costs no measurable CPU, and a 60 s soak's RSS grew ~30 MB, not ~46: V8 kept 1 MB of freed
// pages pooled at the end, not 18.
// Flags only take at start-up, so `serve` relaunches itself with them.

/** The V8 flags `fakepsp serve` runs under. */
export const serveNodeFlags: readonly string[] = [
  '--max-semi-space-size=8',
  '--no-allocation-site-pretenuring',
  '--heap-growing-percent=50',
];

/** What a relaunch is decided from: this process's command line and environment. */
export interface LaunchedAs {
  /** `process.argv`: node, the script, then fakepsp's own arguments. */
  readonly argv: readonly string[];
  readonly execArgv: readonly string[];
  readonly nodeOptions: string | undefined;
}

/** The flag's name, which a user's own value (on the command line or in NODE_OPTIONS) overrides. */
function flagName(flag: string): string {
  // V8 reads `--max_semi_space_size` as `--max-semi-space-size`, and `--no-x` is `--x` turned off.
  return flag
    .split('=')[0]!
    .replaceAll('_', '-')
    .replace(/^--no-/, '--');
}

/**
 * The arguments (after the node executable) to relaunch `fakepsp serve` with its V8 flags, or
 * undefined when this is another command, the flags are already set (by us or by the user), or
 * a debugger is attached.
 */
export function serveRelaunchArgs(launched: LaunchedAs): string[] | undefined {
  const [, script, ...args] = launched.argv;
  // Options before the command are fakepsp's global ones (`--debug`), none of which takes a value.
  if (script === undefined || args.find((arg) => !arg.startsWith('-')) !== 'serve') return undefined;
  const given = [...launched.execArgv, ...(launched.nodeOptions ?? '').split(/\s+/)];
  // A debugger attached to this process would lose it (and `--inspect-brk` would stop twice).
  if (given.some((arg) => arg.startsWith('--inspect'))) return undefined;
  const missing = serveNodeFlags.filter((flag) => !given.some((arg) => flagName(arg) === flagName(flag)));
  if (missing.length === 0) return undefined;
  return [...missing, ...launched.execArgv, script, ...args];
}

/**
 * For `fakepsp serve`, replaces this process (same pid, same stdio) with one that has the V8
 * flags. Where Node cannot (Windows, Node before 22.15) serve runs as it is, only heavier.
 */
export function relaunchServeWithNodeFlags(): void {
  const args = serveRelaunchArgs({
    argv: process.argv,
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS,
  });
  if (args === undefined || typeof process.execve !== 'function') return;
  try {
    process.execve(process.execPath, [process.execPath, ...args], process.env);
  } catch {
    // The fakes work without the flags; a failed exec is no reason not to serve.
  }
}
