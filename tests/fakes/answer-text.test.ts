import { describe, expect, it } from 'vitest';
import { answerText, renderedAnswer } from '../../src/fakes/common/answer-text.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';

describe('answer texts written once', () => {
  it('answers an object with the text just made for it, only at the same indent', () => {
    const customer = { id: 'cus_1', object: 'customer', name: 'Zoë' };
    const text = answerText(customer, 2);
    expect(text).toBe(JSON.stringify(customer, null, 2));
    expect(renderedAnswer(customer, 2)).toBe(text);
    expect(renderedAnswer(customer, 4)).toBe(JSON.stringify(customer, null, 4));
    expect(renderedAnswer({ ...customer }, 2)).toBe(text);
    expect(renderedAnswer([1, 2], undefined)).toBe('[1,2]');
  });

  it("gives a spilling fake Stripe's answers the very bytes of one that keeps everything in memory", async () => {
    const run = async (options: { spill?: { after: number; recent: number }; freezeState?: false }) => {
      const fake = createStripeFake(createSimulation({ seed: 9 }), options);
      const post = async (path: string, rawBody: string) =>
        (
          await fake.core.handle({
            method: 'POST',
            path,
            query: '',
            headers: {
              authorization: 'Bearer sk_test_1',
              'content-type': 'application/x-www-form-urlencoded',
            },
            rawBody,
          })
        ).response.body;
      const bodies: string[] = [];
      for (let n = 0; n < 3; n++) {
        bodies.push(await post('/v1/customers', `email=c${n}%40example.com&name=Zo%C3%AB`));
        bodies.push(
          await post(
            '/v1/payment_intents',
            'amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true',
          ),
        );
      }
      return bodies;
    };
    const kept = await run({});
    const spilled = await run({ spill: { after: 0, recent: 1 }, freezeState: false });
    expect(kept[0]).toContain('\n  "name": "Zoë"');
    expect(spilled).toEqual(kept);
  });
});
