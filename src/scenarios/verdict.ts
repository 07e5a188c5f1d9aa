import type { Break } from '../assertions/breaks.ts';
import type { JournalRecord } from '../sim/journal.ts';
import type { Ledger } from '../sut/contract.ts';
import type { ScenarioFacts } from './context.ts';
import type { PspEnvironment } from './environment.ts';

/** What the checker is given at the end of a run. */
export interface CheckInput {
  readonly ledger: Ledger;
  readonly env: PspEnvironment;
  readonly facts: ScenarioFacts;
  readonly journal: readonly JournalRecord[];
}

/** A problem the checker found, in words a finance engineer accepts. */
export interface Finding {
  readonly kind: string;
  readonly message: string;
}

export interface CheckOutcome {
  readonly ok: boolean;
  readonly findings: readonly Finding[];
  /** The checker's own detailed records (breaks with witnesses), for reports. */
  readonly breaks?: readonly Break[];
}

/** Reconciles a finished run; `reconcileRun` (check.ts) is the default. */
export type Checker = (input: CheckInput) => CheckOutcome;
