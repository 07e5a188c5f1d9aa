import { describe, expect, it } from 'vitest';
import { platformScope, StripeStore, type StripeObject } from '../../src/fakes/stripe/store.ts';
import { Transaction } from '../../src/fakes/stripe/transaction.ts';

const object = (id: string, type: string, extra: Record<string, unknown> = {}): StripeObject =>
  ({ id, object: type, ...extra }) as StripeObject;

describe('the Stripe store', () => {
  it('finds any object by id alone, whether or not its id names its type', () => {
    const store = new StripeStore();
    const objects = [
      object('cus_A1', 'customer'),
      object('cus_B2', 'customer'),
      // Custom product ids: one with no prefix, one with another prefix, one with two underscores.
      object('prod_X', 'product'),
      object('gold', 'product'),
      object('cus_gold', 'product'),
      object('prod_gold_plan', 'product'),
      // Subscription schedules share `sub_` with subscriptions; whichever came first keeps it.
      object('sub_sched_S', 'subscription_schedule'),
      object('sub_Q', 'subscription'),
    ];
    for (const each of objects) store.put(platformScope, each);
    for (const each of objects) expect(store.find(platformScope, each.id)).toBe(each);
    expect(store.find(platformScope, 'cus_C3')).toBeUndefined();
    expect(store.find(platformScope, 'prod_gold_other')).toBeUndefined();
  });

  it('finds an object only in its own account scope', () => {
    const store = new StripeStore();
    const customer = object('cus_A1', 'customer');
    store.put('acct_1', customer);
    store.put('acct_1', object('gold', 'product'));
    expect(store.find('acct_1', 'cus_A1')).toBe(customer);
    expect(store.find(platformScope, 'cus_A1')).toBeUndefined();
    expect(store.find(platformScope, 'gold')).toBeUndefined();
    expect(store.get(platformScope, 'customer', 'cus_A1')).toBeUndefined();
  });

  it('keeps events in order and finds each by id, however many were added between lookups', () => {
    const store = new StripeStore();
    const events = Array.from({ length: 20_000 }, (_, n) => object(`evt_${n}`, 'event', { n }));
    for (const [n, event] of events.entries()) {
      store.put(platformScope, event);
      if (n % 7_001 === 0) expect(store.get(platformScope, 'event', `evt_${n}`)).toBe(event);
    }
    expect(store.get(platformScope, 'event', 'evt_19999')).toBe(events[19_999]);
    expect(store.get(platformScope, 'event', 'evt_8192')).toBe(events[8_192]);
    expect(store.get(platformScope, 'event', 'evt_20000')).toBeUndefined();
    expect(store.values(platformScope, 'event')).toEqual(events);
    // Nothing expands an event.
    expect(store.find(platformScope, 'evt_1')).toBeUndefined();
  });

  it('dumps types in the order first stored, a changed object in its first place, a removed one gone', () => {
    const store = new StripeStore();
    store.put(platformScope, object('cus_A', 'customer', { name: 'A' }));
    store.put(platformScope, object('evt_1', 'event'));
    store.put(platformScope, object('cus_B', 'customer'));
    store.put(platformScope, object('cus_A', 'customer', { name: 'A2' }));
    store.put(platformScope, object('gold', 'product'));
    store.remove(platformScope, 'product', 'gold');
    expect(store.find(platformScope, 'gold')).toBeUndefined();
    expect(store.dump()).toEqual({
      platform: {
        customer: [object('cus_A', 'customer', { name: 'A2' }), object('cus_B', 'customer')],
        event: [object('evt_1', 'event')],
        product: [],
      },
    });
  });

  it("keeps a transaction's writes to its own account and another apart until commit", () => {
    const store = new StripeStore();
    store.put(platformScope, object('cus_A', 'customer', { name: 'stored' }));
    const tx = new Transaction(store, platformScope);
    tx.put(object('cus_A', 'customer', { name: 'platform' }));
    tx.put(object('cus_A', 'customer', { name: 'connected' }), 'acct_1');
    tx.put(object('cus_B', 'customer'), 'acct_1');
    tx.remove('customer', 'cus_B', 'acct_1');
    tx.put(object('cus_C', 'customer'), 'acct_1');
    expect(tx.get('customer', 'cus_A')).toEqual(object('cus_A', 'customer', { name: 'platform' }));
    expect(tx.find('cus_A', 'acct_1')).toEqual(object('cus_A', 'customer', { name: 'connected' }));
    expect(tx.get('customer', 'cus_B', 'acct_1')).toBeUndefined();
    expect(tx.values('customer').map((each) => each.id)).toEqual(['cus_A']);
    expect(tx.values('customer', 'acct_1').map((each) => each.id)).toEqual(['cus_A', 'cus_C']);
    expect(store.get(platformScope, 'customer', 'cus_A')).toEqual(
      object('cus_A', 'customer', { name: 'stored' }),
    );
    tx.commit();
    expect(store.dump()).toEqual({
      platform: { customer: [object('cus_A', 'customer', { name: 'platform' })] },
      acct_1: { customer: [object('cus_A', 'customer', { name: 'connected' }), object('cus_C', 'customer')] },
    });
  });
});
