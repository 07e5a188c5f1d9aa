import { strict as assert } from 'node:assert';
import { balanceOf } from './balances.ts';
import type { AdyenStore } from './store.ts';

/**
 * Adyen's money rules, checked before a unit of work commits, for every payment it touched:
 * what is captured stays within what was authorised, and refunds plus lost chargebacks within
 * what was ever captured. A handler that broke one answers 500 and leaves nothing behind.
 */
export function checkMoneyRules(store: AdyenStore): void {
  const touched = new Set<string>();
  for (const payment of store.payments.written()) touched.add(payment.pspReference);
  for (const modification of store.modifications.written()) touched.add(modification.paymentPspReference);
  for (const dispute of store.disputes.written()) touched.add(dispute.paymentPspReference);
  for (const pspReference of touched) {
    const payment = store.payments.get(pspReference);
    if (payment === undefined) continue;
    const balance = balanceOf(store, payment);
    assert(
      balance.captured <= payment.amount.value,
      `payment ${pspReference}: captured ${balance.captured} exceeds the authorised ${payment.amount.value}`,
    );
    assert(
      balance.refunded >= 0 && balance.refunded + balance.disputed <= balance.capturedGross,
      `payment ${pspReference}: refunded ${balance.refunded} and charged back ${balance.disputed} ` +
        `exceed the ${balance.capturedGross} ever captured`,
    );
  }
}
