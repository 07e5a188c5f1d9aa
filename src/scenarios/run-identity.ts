import type { PspName } from '../fakes/common/psp-core.ts';

/**
 * The billing system a run went against, as data: the replay line is formatted from it at the
 * edge, so it names the same service (and the same seeded bug) the failure came from.
 */
export type SutIdentity =
  | { readonly kind: 'reference'; readonly mutant?: string }
  | { readonly kind: 'module'; readonly module: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'command'; readonly command: string; readonly reuse: boolean }
  /** A factory function handed to `scenarioTests` or `exploreTest`: no command line can name it. */
  | { readonly kind: 'factory' };

/** Everything that names one run, as fast-check's `RunDetails` names a property run. */
export interface RunIdentity {
  readonly scenario: string;
  readonly pattern: string;
  readonly psp: PspName;
  readonly seed: number;
  /** The scenario file, when the run came from one. */
  readonly file?: string;
  /** The service the run went against; the reference when absent. */
  readonly sut?: SutIdentity;
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The `fakepsp run` flags that name a service: `--sut-cmd 'node server.js'`, `--mutant X`, or none. */
export function sutFlags(sut: SutIdentity | undefined): string {
  switch (sut?.kind) {
    case undefined:
      return '';
    case 'reference':
      return sut.mutant === undefined ? '' : `--mutant ${sut.mutant}`;
    case 'module':
      return `--sut ${shellQuote(sut.module)}`;
    case 'url':
      return `--sut ${shellQuote(sut.url)}`;
    case 'command':
      return `--sut-cmd ${shellQuote(sut.command)}${sut.reuse ? ' --sut-reuse' : ''}`;
    case 'factory':
      return '--sut <a module exporting your factory>';
  }
}

/** The command that reproduces a run: same file, scenario, PSP, seed and service. */
export function replayLine(identity: RunIdentity): string {
  const where = identity.file ?? '<scenario file>';
  const flags = sutFlags(identity.sut);
  return (
    `npx fakepsp run ${where} --scenario ${JSON.stringify(identity.scenario)} --psp ${identity.psp} ` +
    `--seed ${identity.seed}${flags === '' ? '' : ` ${flags}`}`
  );
}
