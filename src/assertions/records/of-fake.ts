import type { AnyPspFake } from '../../fakes/all.ts';
import type { PspRecords } from '../psp-records.ts';
import { adyenRecords } from './adyen.ts';
import { razorpayRecords } from './razorpay.ts';
import { stripeRecords } from './stripe.ts';

/**
 * What a fake really did, in the checker's PSP-agnostic shape: each PSP's records builder over
 * the fake's typed dump.
 *
 * @example
 * const sim = createSimulation({ seed: 42 });
 * const fakes = [createStripeFake(sim), createAdyenFake(sim), createRazorpayFake(sim)];
 * const ledger = await createReferenceBillingSystem().ledger();
 * reconcile({ ledger, psps: fakes.map(recordsOfFake), journal: sim.journal });
 */
export function recordsOfFake(fake: AnyPspFake): PspRecords {
  switch (fake.psp) {
    case 'stripe':
      return stripeRecords(fake.dump());
    case 'adyen':
      return adyenRecords(fake.dump());
    case 'razorpay':
      return razorpayRecords(fake.dump());
  }
}
