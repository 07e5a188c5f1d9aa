import type { RazorpayDump, SubscriptionRecord } from '../../fakes/razorpay/store.ts';
import { customerIdMetadataKey, type PspObjectRecord } from '../psp-records.ts';
import { noted, notesOf, objectRecord, type RazorpayIndex } from './razorpay-index.ts';

/** Whose a subscription is: its Razorpay customer's tag, else its own notes' tag. */
function ownerOfSubscription(index: RazorpayIndex, record: SubscriptionRecord | undefined) {
  const pspCustomerId = record?.subscription.customer_id ?? null;
  const customerId =
    index.customers.get(pspCustomerId ?? '') ??
    noted(notesOf(record?.subscription.notes), customerIdMetadataKey);
  return { pspCustomerId, customerId };
}

/**
 * Razorpay Subscriptions' objects that move no money themselves: each subscription (its status)
 * and each invoice (`issued` until a charge pays it, then `paid`: the payment is the movement),
 * linked to the SUT's customer through the subscription. A ledger names an invoice by its id.
 */
export function subscriptionObjects(index: RazorpayIndex, dump: RazorpayDump): PspObjectRecord[] {
  const objects: PspObjectRecord[] = [];
  for (const record of dump.subscriptions) {
    const { subscription } = record;
    const plan = dump.plans.find((entry) => entry.id === subscription.plan_id);
    objects.push({
      ...objectRecord(
        index,
        { id: subscription.id, type: 'subscription', status: subscription.status },
        undefined,
        null,
        null,
      ),
      ...ownerOfSubscription(index, record),
      currency: plan?.item.currency.toLowerCase() ?? null,
    });
  }
  for (const { invoice } of dump.invoices) {
    const owner = ownerOfSubscription(index, index.subscriptions.get(invoice.subscription_id ?? ''));
    objects.push({
      ...objectRecord(
        index,
        { id: invoice.id, type: 'invoice', status: invoice.status },
        undefined,
        invoice,
        invoice.subscription_id,
      ),
      ...owner,
    });
  }
  return objects;
}
