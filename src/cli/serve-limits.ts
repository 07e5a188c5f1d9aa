/**
 * How many webhook attempts each fake of a `serve` has on their way at once. One at a time, a
 * local receiver took ~3,000 a second on our bench machine, and a load test making events faster
 * grew the backlog in memory; several at once, as a PSP's fleet sends them. Scenario runs send
 * one at a time, for one order run after run.
 */
export const serveWebhooksInFlight = 16;

/** How many journal records a `serve` keeps by default: enough to debug, bounded over days. */
export const serveJournalMax = 200_000;

/** And how many characters of them at most (~32 MB): large requests are forgotten sooner. */
export const serveJournalCharactersMax = 32 * 1024 * 1024;
