import { describe, expect, it } from 'vitest';
import { IdGenerator } from '../../src/sim/ids.ts';
import { SeededRandom } from '../../src/sim/random.ts';

const generator = (seed = 1) => new IdGenerator(SeededRandom.fromSeed(seed).fork('ids'));

describe('IdGenerator', () => {
  it('draws Stripe ids with the prefix and length Stripe prints', () => {
    const ids = generator();
    expect(ids.stripe('cus_')).toMatch(/^cus_[0-9A-Za-z]{14}$/);
    expect(ids.stripe('pi_')).toMatch(/^pi_[0-9A-Za-z]{24}$/);
    expect(ids.stripe('ch_')).toMatch(/^ch_[0-9A-Za-z]{24}$/);
    expect(ids.stripe('evt_')).toMatch(/^evt_[0-9A-Za-z]{24}$/);
  });

  it('draws 16-character Adyen pspReferences and Razorpay ids', () => {
    const ids = generator();
    expect(ids.adyenPspReference()).toMatch(/^[0-9A-Z]{16}$/);
    expect(ids.razorpay('pay_')).toMatch(/^pay_[0-9A-Za-z]{14}$/);
    expect(ids.razorpay('order_')).toMatch(/^order_[0-9A-Za-z]{14}$/);
  });

  it('never repeats an id, even from a tiny alphabet', () => {
    const ids = generator();
    const drawn = Array.from({ length: 2_000 }, () => ids.stripe('pi_'));
    expect(new Set(drawn).size).toBe(drawn.length);
    const tiny = Array.from({ length: 8 }, () => ids.custom('x_', 3));
    expect(new Set(tiny).size).toBe(8);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = generator(5);
    const b = generator(5);
    const c = generator(6);
    const first = [a.stripe('cus_'), a.adyenPspReference()];
    expect([b.stripe('cus_'), b.adyenPspReference()]).toEqual(first);
    expect(c.stripe('cus_')).not.toBe(first[0]);
  });
});
