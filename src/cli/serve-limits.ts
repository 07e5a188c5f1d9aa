/** How many journal records a `serve` keeps by default: enough to debug, bounded over days. */
export const serveJournalMax = 200_000;

/** And how many characters of them at most (~32 MB): large requests are forgotten sooner. */
export const serveJournalCharactersMax = 32 * 1024 * 1024;
