import { describe, expect, it } from 'vitest';
import { attemptsMax, createOnce } from '../../src/reference/razorpay/subscriptions.ts';

// Razorpay has no idempotency key for plans and subscriptions: after a lost answer the reference
// looks up what it may have made before asking again, and never creates twice on a guess.

const lost = () => Object.assign(new Error('socket hang up'), { statusCode: undefined });
const refused = () => Object.assign(new Error('Bad request'), { statusCode: 400 });

describe('createOnce: a create whose answer was lost', () => {
  it('uses what the lost create made, found by the lookup', async () => {
    let creates = 0;
    const made = await createOnce(
      async () => {
        creates++;
        throw lost();
      },
      async () => 'sub_made',
    );
    expect({ made, creates }).toEqual({ made: 'sub_made', creates: 1 });
  });

  it('asks again when the lookup finds nothing', async () => {
    let creates = 0;
    const made = await createOnce(
      async () => {
        if (++creates === 1) throw lost();
        return 'sub_second';
      },
      async () => undefined,
    );
    expect({ made, creates }).toEqual({ made: 'sub_second', creates: 2 });
  });

  it('does not create again while every lookup fails: the lost answer stands', async () => {
    let creates = 0;
    let lookups = 0;
    const attempt = createOnce(
      async () => {
        creates++;
        throw lost();
      },
      async () => {
        lookups++;
        throw lost();
      },
    );
    await expect(attempt).rejects.toThrow('socket hang up');
    expect({ creates, lookups }).toEqual({ creates: 1, lookups: attemptsMax });
  });

  it('does not retry a refusal', async () => {
    let creates = 0;
    const attempt = createOnce(
      async () => {
        creates++;
        throw refused();
      },
      async () => 'never',
    );
    await expect(attempt).rejects.toThrow('Bad request');
    expect(creates).toBe(1);
  });
});
