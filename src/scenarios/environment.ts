import type { PspName } from '../fakes/common/psp-core.ts';
import type { StripeFake } from '../fakes/stripe/index.ts';
import type { Simulation } from '../sim/simulation.ts';
import type { PspConnections, SetupResponse } from '../sut/contract.ts';

/**
 * The fakes of one scenario run, reachable by the SUT. Made by a transport (a loopback
 * server per fake), so the scenario engine itself never touches a socket.
 */
export interface PspEnvironment {
  readonly sim: Simulation;
  readonly stripe: StripeFake;
  /** Base URLs, keys and the webhook secrets the harness chose, as `setup` hands them over. */
  readonly connections: PspConnections;
  readonly available: readonly PspName[];
  /** Registers the SUT's webhook URLs with the fakes, as a dashboard would. */
  registerWebhooks(webhooks: SetupResponse['webhooks']): void;
  /** Sends every webhook attempt that is due. */
  flush(): Promise<number>;
  close(): Promise<void>;
}

/** Makes a fresh environment for a run. */
export type EnvironmentFactory = (options: { readonly seed: number }) => Promise<PspEnvironment>;
