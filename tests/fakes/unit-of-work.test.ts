import { describe, expect, it } from 'vitest';
import { UnitOfWork } from '../../src/fakes/common/unit-of-work.ts';
import { createAdyenFake } from '../../src/fakes/adyen/index.ts';
import { defaultRazorpayKeys } from '../../src/fakes/razorpay/auth.ts';
import { createRazorpayFake } from '../../src/fakes/razorpay/index.ts';
import { runWork } from '../../src/fakes/stripe/engine.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { platformScope } from '../../src/fakes/stripe/store.ts';
import { createSimulation } from '../../src/sim/simulation.ts';

type Row = { readonly id: string; readonly n: number };

describe('a unit of work', () => {
  it('shows its writes to reads at once and commits them together, in insertion order', () => {
    const unit = new UnitOfWork();
    const rows = unit.table<Row>();
    unit.run(() => {
      rows.set('a', { id: 'a', n: 1 });
      rows.set('b', { id: 'b', n: 2 });
    });
    unit.run(() => {
      rows.set('c', { id: 'c', n: 3 });
      rows.set('a', { id: 'a', n: 10 });
      rows.delete('b');
      expect(rows.get('a')).toEqual({ id: 'a', n: 10 });
      expect(rows.has('b')).toBe(false);
      expect(rows.values().map((row) => row.id)).toEqual(['a', 'c']);
      expect([...rows.written()].map((row) => row.id)).toEqual(['c', 'a']);
    });
    expect(rows.values()).toEqual([
      { id: 'a', n: 10 },
      { id: 'c', n: 3 },
    ]);
  });

  it('leaves nothing behind when the work throws or an invariant fails', () => {
    const unit = new UnitOfWork();
    const rows = unit.table<Row>();
    unit.run(() => rows.set('a', { id: 'a', n: 1 }));
    expect(() =>
      unit.run(() => {
        rows.set('a', { id: 'a', n: 2 });
        rows.set('b', { id: 'b', n: 2 });
        throw new Error('refused');
      }),
    ).toThrow('refused');
    unit.invariant(() => {
      if (rows.values().some((row) => row.n < 0)) throw new Error('n went negative');
    });
    expect(() => unit.run(() => rows.set('a', { id: 'a', n: -1 }))).toThrow('n went negative');
    expect(rows.values()).toEqual([{ id: 'a', n: 1 }]);
  });

  it('refuses writes outside a unit, freezes what it stores, and lets nested work join the open unit', () => {
    const unit = new UnitOfWork();
    const rows = unit.table<Row>();
    expect(() => rows.set('a', { id: 'a', n: 1 })).toThrow('a write outside a unit of work');
    unit.run(() => unit.run(() => rows.set('a', { id: 'a', n: 1 })));
    const stored = rows.get('a')!;
    expect(Object.isFrozen(stored)).toBe(true);
    expect(() => ((stored as { n: number }).n = 5)).toThrow(TypeError);
  });

  it('stores objects as they are once it trusts its handlers (serve)', () => {
    const unit = new UnitOfWork();
    const rows = unit.table<{ readonly id: string; readonly tags: string[] }>();
    unit.trustHandlers();
    const row = { id: 'a', tags: ['x'] };
    unit.run(() => rows.set('a', row));
    expect(rows.get('a')).toBe(row);
    expect(Object.isFrozen(row)).toBe(false);
    expect(Object.isFrozen(row.tags)).toBe(false);
  });
});

describe('a drafts table', () => {
  it('hands out a private copy to change inside a unit, committed with it or dropped with it', () => {
    const unit = new UnitOfWork();
    const rows = unit.table<{ id: string; n: number }>({ drafts: true });
    unit.run(() => rows.set('a', { id: 'a', n: 1 }));
    unit.run(() => {
      // Asking whether a row exists makes no draft of it.
      expect(rows.has('a')).toBe(true);
      expect([...rows.written()]).toEqual([]);
      rows.get('a')!.n = 2;
    });
    expect(rows.get('a')).toEqual({ id: 'a', n: 2 });
    expect(() => {
      rows.get('a')!.n = 3;
    }).toThrow(TypeError);
    expect(() =>
      unit.run(() => {
        rows.get('a')!.n = 4;
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(rows.get('a')).toEqual({ id: 'a', n: 2 });
  });
});

describe('the fake Adyen commits once per request', () => {
  it('answers 500 and stores nothing when a money rule fails at commit', async () => {
    const sim = createSimulation({ seed: 3 });
    const adyen = createAdyenFake(sim);
    // A rule no payment can pass: the payment's writes must vanish with the request.
    adyen.runtime.store.unit.invariant(() => {
      if (adyen.runtime.store.payments.values().length > 0) throw new Error('no payments today');
    });
    const result = await adyen.core.handle({
      method: 'POST',
      path: '/v72/payments',
      query: '',
      headers: { 'x-api-key': 'AQE_fakepsp_test_key', 'content-type': 'application/json' },
      rawBody: JSON.stringify({
        amount: { value: 1000, currency: 'EUR' },
        merchantAccount: 'MyECOM',
        reference: 'uow',
        returnUrl: 'https://shop.example/back',
        paymentMethod: { type: 'scheme', encryptedCardNumber: 'test_4111111111111111' },
      }),
    });
    expect(result.response.status).toBe(500);
    expect(adyen.dump().payments).toEqual([]);
    expect(adyen.dump().events).toEqual([]);
  });
});

describe('the fake Razorpay commits once per request', () => {
  it('answers 500 and stores nothing when a rule fails at commit', async () => {
    const sim = createSimulation({ seed: 4 });
    const razorpay = createRazorpayFake(sim);
    razorpay.runtime.store.unit.invariant(() => {
      if (razorpay.runtime.store.orders.values().length > 0) throw new Error('no orders today');
    });
    const { keyId, keySecret } = defaultRazorpayKeys[0]!;
    const result = await razorpay.core.handle({
      method: 'POST',
      path: '/v1/orders',
      query: '',
      headers: {
        authorization: `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      rawBody: JSON.stringify({ amount: 50_000, currency: 'INR' }),
    });
    expect(result.response.status).toBe(500);
    expect(razorpay.dump().orders).toEqual([]);
  });
});

describe('the fake Stripe checks its money rules before a unit of work commits', () => {
  it('refuses a charge refunded beyond its amount and stores nothing of that work', () => {
    const fake = createStripeFake(createSimulation({ seed: 5 }));
    const overRefunded = {
      id: 'ch_over',
      object: 'charge',
      amount: 100,
      amount_captured: 100,
      amount_refunded: 150,
    };
    expect(() =>
      runWork(fake.runtime, { scope: platformScope, label: 'a broken job' }, (context) => {
        context.tx.put({ id: 'cus_alongside', object: 'customer' });
        context.tx.put(overRefunded);
      }),
    ).toThrow(/charge ch_over: refunded 150 of 100/);
    expect(fake.dump()[platformScope]).toBeUndefined();
    const fine = { ...overRefunded, id: 'ch_fine', amount_refunded: 40 };
    runWork(fake.runtime, { scope: platformScope, label: 'a sound job' }, (context) => context.tx.put(fine));
    expect(fake.dump()[platformScope]?.charge).toEqual([fine]);
  });
});
