import type { AdminAction } from './admin.ts';
import type { FaultInjector } from './faults.ts';
import type { PspCore, PspName } from './psp-core.ts';

/**
 * The harness's handle on one fake, the same for every PSP: its core for a transport, the
 * fault plan, webhooks (registered as a dashboard would, flushed when due), everything it holds
 * as a typed dump, and its PSP-side actors (`POST /_fakepsp/actions/<name>`).
 *
 * @example
 * const stripe = createStripeFake(createSimulation({ seed: 42 }));
 * stripe.registerWebhook({ url: 'http://127.0.0.1:4000/hooks', secret: 'whsec_…' });
 * stripe.faults.load({ webhooks: [{ match: { nth: 1 }, effect: { kind: 'drop' } }] });
 */
export interface PspFake<Psp extends PspName, Dump, Registration> {
  readonly psp: Psp;
  readonly core: PspCore;
  /** The run's fault plan, consulted at the commit point of every request and webhook. */
  readonly faults: FaultInjector;
  /** Delivers every webhook attempt due now (retries wait for the clock). */
  flushWebhooks(): Promise<number>;
  /** Where the merchant's webhooks go, and how they are signed. */
  registerWebhook(registration: Registration): void;
  /** Everything the fake holds, in a deterministic order: the admin state and the checker's input. */
  dump(): Dump;
  /** PSP-side actors for the admin API and scenarios. */
  readonly actions: Readonly<Record<string, AdminAction>>;
}
