import { describe, expect, it } from 'vitest';
import { SpillFile } from '../../src/fakes/common/spill-file.ts';
import { SpilledCollection } from '../../src/fakes/stripe/spilled-collection.ts';
import {
  AppendedCollection,
  KeyedCollection,
  type Collection,
} from '../../src/fakes/stripe/store-collections.ts';
import { platformScope, StripeStore, type StripeObject } from '../../src/fakes/stripe/store.ts';

const object = (id: string, type: string, extra: Record<string, unknown> = {}): StripeObject =>
  ({ id, object: type, ...extra }) as StripeObject;

/** Everything a reader can see of a collection, for comparing two of them. */
function seen(collection: Collection, ids: readonly string[]) {
  const placed = collection.placed();
  return {
    size: collection.size,
    values: collection.values(),
    byId: ids.map((id) => collection.get(id)),
    places: ids.map((id) => placed.placeOf(id)),
    atPlaces: Array.from({ length: placed.length }, (_, place) => placed.at(place)),
    where: ['cus_0', 'cus_1', 'cus_2'].map((customer) => collection.where('customer', customer)),
    whereNumber: collection.where('amount', 300),
  };
}

describe('a spilled collection', () => {
  it('answers every read as the in-memory one does, through writes, changes and removals', () => {
    const memory = new KeyedCollection();
    const spilled = new SpilledCollection({ file: new SpillFile(), recent: 2 }, false);
    const ids = Array.from({ length: 300 }, (_, n) => `ch_${n}`);
    const write = (each: StripeObject) => [memory, spilled].forEach((collection) => collection.set(each));
    // Reads between writes start the field indexes early, so later writes must keep them.
    let step = 0;
    for (const id of ids) {
      write(
        object(id, 'charge', {
          customer: `cus_${step % 3}`,
          amount: 100 * (step % 4),
          metadata: { n: step },
        }),
      );
      if (++step % 50 === 0) expect(seen(spilled, ids)).toEqual(seen(memory, ids));
    }
    for (let n = 0; n < ids.length; n += 7)
      write(object(ids[n]!, 'charge', { customer: 'cus_2', amount: 300 }));
    for (let n = 0; n < ids.length; n += 11)
      [memory, spilled].forEach((collection) => collection.delete(ids[n]!));
    write(object(ids[11]!, 'charge', { customer: 'cus_1', amount: 1 }));
    expect(seen(spilled, [...ids, 'ch_none'])).toEqual(seen(memory, [...ids, 'ch_none']));
    expect(Object.isFrozen(spilled.get(ids[1]!))).toBe(true);
    expect(Object.isFrozen((spilled.get(ids[2]!) as unknown as { metadata: object }).metadata)).toBe(true);
  });

  it('keeps appended objects (events) in order, found by id once someone asks', () => {
    const memory = new AppendedCollection();
    const spilled = new SpilledCollection({ file: new SpillFile(), recent: 1 }, true);
    const ids = Array.from({ length: 500 }, (_, n) => `evt_${n}`);
    for (const id of ids.slice(0, 250)) [memory, spilled].forEach((each) => each.set(object(id, 'event')));
    expect(spilled.get(ids[100]!)).toEqual(memory.get(ids[100]!));
    for (const id of ids.slice(250)) [memory, spilled].forEach((each) => each.set(object(id, 'event')));
    expect(seen(spilled, ids)).toEqual(seen(memory, ids));
    expect(() => spilled.delete('evt_1')).toThrow(/never deleted/);
  });

  it('replaces an object in its place, appended (events) or keyed, as the in-memory ones do', () => {
    const pairs: Array<[Collection, Collection]> = [
      [new AppendedCollection(), new SpilledCollection({ file: new SpillFile(), recent: 2 }, true)],
      [new KeyedCollection(), new SpilledCollection({ file: new SpillFile(), recent: 2 }, false)],
    ];
    for (const [memory, spilled] of pairs) {
      const ids = Array.from({ length: 200 }, (_, n) => `evt_${n}`);
      const event = (id: string, pending: number) => object(id, 'event', { pending_webhooks: pending });
      for (const id of ids) [memory, spilled].forEach((each) => each.set(event(id, 2)));
      // An old one read back first, so that a stale copy could linger among the recent ones.
      expect(spilled.get(ids[10]!)).toEqual(event(ids[10]!, 2));
      for (const [n, pending] of [
        [10, 1],
        [10, 0],
        [150, 1],
        [199, 1],
      ] as const) {
        const replaced = [memory, spilled].map((each) => each.replace(event(ids[n]!, pending)));
        expect(replaced).toEqual([true, true]);
      }
      expect([memory, spilled].map((each) => each.replace(event('evt_none', 1)))).toEqual([false, false]);
      expect(spilled.get(ids[10]!)).toEqual(event(ids[10]!, 0));
      expect(seen(spilled, [...ids, 'evt_none'])).toEqual(seen(memory, [...ids, 'evt_none']));
      expect(spilled.size).toBe(200);
    }
  });

  it("writes an event's object as a pointer to the record just written, and reads it back whole", () => {
    const file = new SpillFile();
    const customers = new SpilledCollection({ file, recent: 2 }, false);
    const events = new SpilledCollection(
      { file, recent: 2, spilledAt: (each) => customers.latestOf(each.id) },
      true,
    );
    const customer = object('cus_1', 'customer', { description: 'x'.repeat(5000) });
    customers.set(customer);
    const before = file.size;
    const event = object('evt_1', 'event', {
      data: { object: customer, previous_attributes: {} },
      type: 'customer.created',
    });
    events.set(event);
    expect(file.size - before).toBeLessThan(200);
    customers.set(object('cus_1', 'customer'));
    expect(events.get('evt_1')).toEqual(event);
  });

  it("writes an earlier version as the members it changed, and reads back the event's very JSON", () => {
    const file = new SpillFile();
    const intents = new SpilledCollection({ file, recent: 2 }, false);
    const events = new SpilledCollection(
      { file, recent: 1, spilledAt: (each) => intents.latestOf(each.id) },
      true,
    );
    const shared = { description: 'x'.repeat(5000), metadata: { order: '7' }, amount: 2000 };
    const created = object('pi_1', 'payment_intent', {
      ...shared,
      status: 'requires_confirmation',
      charge: null,
    });
    const confirmed = object('pi_1', 'payment_intent', { ...shared, status: 'succeeded', charge: 'ch_1' });
    intents.set(confirmed);
    const eventOf = (id: string, version: StripeObject) =>
      object(id, 'event', { data: { object: version }, type: 'payment_intent.created' });
    const before = file.size;
    events.set(eventOf('evt_1', created));
    expect(file.size - before).toBeLessThan(250);
    // Different keys, another order, an undefined member, most members changed: written whole.
    const unlike = [
      object('pi_1', 'payment_intent', { status: 'requires_confirmation' }),
      object('pi_1', 'payment_intent', { ...shared, charge: null, status: 'requires_confirmation' }),
      { ...created, charge: undefined },
      object('pi_1', 'payment_intent', {
        ...shared,
        metadata: {},
        amount: 1,
        status: 'x',
        charge: 'ch_2',
      }),
    ];
    const sizes = unlike.map((version, n) => {
      const at = file.size;
      events.set(eventOf(`evt_${n + 2}`, version));
      return file.size - at;
    });
    expect(sizes.map((size, n) => size > JSON.stringify(unlike[n]).length)).toEqual([true, true, true, true]);
    // Later versions of the intent do not change what the events read back.
    intents.set(object('pi_1', 'payment_intent', { status: 'canceled' }));
    for (const [n, version] of [created, ...unlike].entries())
      expect(JSON.stringify(events.get(`evt_${n + 1}`))).toBe(
        JSON.stringify(eventOf(`evt_${n + 1}`, version)),
      );
  });
});

describe('a store that spills', () => {
  it('moves a type to its file past `after` objects and still finds every one, by id and by type', () => {
    const store = new StripeStore({ spill: { after: 2, recent: 1 } });
    const customers = Array.from({ length: 10 }, (_, n) =>
      object(`cus_${n}`, 'customer', { email: `${n}@x.test` }),
    );
    for (const each of customers) store.put(platformScope, each);
    store.put(platformScope, object('prod_1', 'product'));
    expect(store.values(platformScope, 'customer')).toEqual(customers);
    expect(customers.map((each) => store.find(platformScope, each.id))).toEqual(customers);
    // Read back from the file: equal, not the very objects put.
    expect(store.get(platformScope, 'customer', 'cus_0')).not.toBe(customers[0]);
    expect(store.where(platformScope, 'customer', 'email', '3@x.test')).toEqual([customers[3]]);
    store.remove(platformScope, 'customer', 'cus_4');
    expect(store.get(platformScope, 'customer', 'cus_4')).toBeUndefined();
    expect(store.placed(platformScope, 'customer').at(4)).toBeUndefined();
    expect(store.get(platformScope, 'product', 'prod_1')).toEqual(object('prod_1', 'product'));
  });

  it("writes an event's object once: the event points at the record its commit just wrote", () => {
    const store = new StripeStore({ spill: { after: 0, recent: 4 } });
    const long = 'x'.repeat(5000);
    const customer = object('cus_1', 'customer', { description: long });
    store.put(platformScope, customer);
    const changed = object('cus_1', 'customer', { description: `${long}!` });
    store.put(platformScope, changed);
    const event = (id: string, inner: StripeObject) =>
      object(id, 'event', { data: { object: inner }, type: 'customer.updated' });
    // The first event carries the version before the last: it is written whole.
    store.put(platformScope, event('evt_1', customer));
    store.put(platformScope, event('evt_2', changed));
    store.put(platformScope, object('evt_3', 'event', { data: { object: 'not an object' } }));
    for (let n = 0; n < 4; n++) store.put(platformScope, object(`cus_${n + 2}`, 'customer'));
    expect(store.values(platformScope, 'event')).toEqual([
      event('evt_1', customer),
      event('evt_2', changed),
      object('evt_3', 'event', { data: { object: 'not an object' } }),
    ]);
  });
});
