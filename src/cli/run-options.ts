import type { PspName } from '../fakes/common/psp-core.ts';
import type { SutSpec } from './sut-source.ts';

export type ReporterName = 'pretty' | 'json' | 'junit' | 'html';

/** Options of `fakepsp run`. */
export interface RunCommandOptions extends SutSpec {
  readonly seed?: number;
  readonly shard?: string;
  readonly reporter: readonly ReporterName[];
  readonly out?: string;
  readonly scenario?: string;
  readonly psp?: PspName;
  /** Worker threads; 1 (the default) runs everything in this thread. */
  readonly workers?: number;
  readonly quiet?: boolean;
}
