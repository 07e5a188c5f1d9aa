import { createAdyenFake, type AdyenApiCredential, type AdyenFake } from '../fakes/adyen/index.ts';
import type { AnyPspFake } from '../fakes/all.ts';
import { FaultInjector } from '../fakes/common/faults.ts';
import type { PspName } from '../fakes/common/psp-core.ts';
import type { WebhookSender } from '../fakes/common/webhook-dispatcher.ts';
import { createRazorpayFake, type RazorpayFake } from '../fakes/razorpay/index.ts';
import { createStripeFake, type StripeFake } from '../fakes/stripe/index.ts';
import type { RowSpill } from '../fakes/common/row-map.ts';
import type { Simulation } from '../sim/simulation.ts';

export type { AnyPspFake } from '../fakes/all.ts';

/** The three fakes of one run, sharing its simulation and one fault plan. */
export interface RunFakes {
  readonly faults: FaultInjector;
  readonly stripe: StripeFake;
  readonly adyen: AdyenFake;
  readonly razorpay: RazorpayFake;
  /** Every fake, in a fixed order: what adding a PSP adds one line to. */
  readonly all: readonly AnyPspFake[];
  /** Sends every webhook attempt that is due, at every fake. */
  flush(): Promise<number>;
}

/**
 * The one place that assembles a run's fakes, for `fakepsp serve` and the scenario runner alike:
 * one fault plan shared by every fake (rules name their PSP), one webhook sender.
 *
 * @example
 * const fakes = createRunFakes(createSimulation({ seed: 42 }), { send: httpWebhookSender });
 */
export function createRunFakes(
  sim: Simulation,
  options: {
    readonly send?: WebhookSender;
    /** The API keys the fake Adyen accepts (its default key when absent). */
    readonly adyenApiKeys?: readonly AdyenApiCredential[];
    /** Past how many objects of a kind each fake moves them to a spill file (a long `serve`). */
    readonly spill?: RowSpill;
    /** How many webhook attempts each fake may have on their way at once (default 1). */
    readonly webhooksInFlight?: number;
    /** Whether the fakes freeze what they store (default true; `serve` passes false). */
    readonly freezeState?: boolean;
  } = {},
): RunFakes {
  // Named for Stripe, whose fake owned it before the others shared it: renaming the stream would
  // reshuffle every seeded fault of the shipped scenarios.
  const faults = new FaultInjector(sim.stream('stripe/faults'), sim.journal);
  const shared = {
    faults,
    ...(options.send === undefined ? {} : { send: options.send }),
    ...(options.freezeState === undefined ? {} : { freezeState: options.freezeState }),
    ...(options.spill === undefined ? {} : { spill: options.spill }),
    ...(options.webhooksInFlight === undefined ? {} : { webhooksInFlight: options.webhooksInFlight }),
  };
  const stripe = createStripeFake(sim, shared);
  const adyen = createAdyenFake(sim, {
    ...shared,
    ...(options.adyenApiKeys === undefined ? {} : { apiKeys: options.adyenApiKeys }),
  });
  const razorpay = createRazorpayFake(sim, shared);
  const all: readonly AnyPspFake[] = [stripe, adyen, razorpay];
  return {
    faults,
    stripe,
    adyen,
    razorpay,
    all,
    flush: async () => {
      let attempts = 0;
      for (const fake of all) attempts += await fake.flushWebhooks();
      return attempts;
    },
  };
}

/** The fake of one PSP among a run's fakes. */
export function fakeOf(fakes: Pick<RunFakes, 'all'>, psp: PspName): AnyPspFake {
  return fakes.all.find((fake) => fake.psp === psp)!;
}
