/** How many journal records a `serve` keeps by default: enough to debug, bounded over days. */
export const serveJournalMax = 200_000;

/** And how many characters of them at most (~32 MB): large requests are forgotten sooner. */
export const serveJournalCharactersMax = 32 * 1024 * 1024;

/**
 * Past how many objects of one type (in one account) the fake Stripe of a `serve` moves them to
 * a spill file: a load test's million customers stay on disk, not in the process's memory.
 */
export const serveSpillAfter = 10_000;

/** How many objects last written or read a spilled type keeps as they are (no parse to read). */
export const serveSpillRecent = 1024;
