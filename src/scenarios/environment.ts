import type { AdyenFake } from '../fakes/adyen/index.ts';
import type { AnyPspFake } from '../fakes/all.ts';
import type { FaultInjector } from '../fakes/common/faults.ts';
import type { PspName } from '../fakes/common/psp-core.ts';
import type { RazorpayFake } from '../fakes/razorpay/index.ts';
import type { StripeFake } from '../fakes/stripe/index.ts';
import type { Simulation } from '../sim/simulation.ts';
import type { PspConnections, SetupResponse } from '../sut/contract.ts';

/**
 * The fakes of one scenario run, reachable by the SUT. Made by a transport (a loopback
 * server per fake), so the scenario engine itself never touches a socket.
 */
export interface PspEnvironment {
  readonly sim: Simulation;
  /** One fault plan for the run, shared by every fake (rules name their PSP). */
  readonly faults: FaultInjector;
  readonly stripe: StripeFake;
  readonly adyen?: AdyenFake;
  readonly razorpay?: RazorpayFake;
  /** Every fake of the run, in a fixed order. */
  readonly fakes: readonly AnyPspFake[];
  /** Base URLs, keys and the webhook secrets the harness chose, as `setup` hands them over. */
  readonly connections: PspConnections;
  readonly available: readonly PspName[];
  /** Registers the SUT's webhook URLs with the fakes, as a dashboard would. */
  registerWebhooks(webhooks: SetupResponse['webhooks']): void;
  /** Sends every webhook attempt that is due, at every fake. */
  flush(): Promise<number>;
  close(): Promise<void>;
}

/** Makes a fresh environment for a run. */
export type EnvironmentFactory = (options: { readonly seed: number }) => Promise<PspEnvironment>;
