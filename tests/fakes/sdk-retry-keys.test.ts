import { describe, expect, it } from 'vitest';
import { sdkRetryKeyAliases } from '../../src/fakes/stripe/sdk-retry-keys.ts';

const key = (n: number) => `stripe-node-retry-${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;

describe('the journal names of stripe-node retry keys', () => {
  it('names each key by first use, the same name on every reuse, and leaves other keys alone', () => {
    const alias = sdkRetryKeyAliases();
    expect(alias(key(7))).toBe('stripe-node-retry-#1');
    expect(alias(key(3))).toBe('stripe-node-retry-#2');
    expect(alias(key(7))).toBe('stripe-node-retry-#1');
    expect(alias('my-own-key')).toBe('my-own-key');
  });

  it('remembers only the most recent keys, still numbering every new one', () => {
    const alias = sdkRetryKeyAliases(2);
    alias(key(1));
    alias(key(2));
    alias(key(3)); // forgets key 1
    expect(alias(key(2))).toBe('stripe-node-retry-#2');
    expect(alias(key(1))).toBe('stripe-node-retry-#4');
  });

  it('keeps every key its name as its ring grows, then forgets the oldest', () => {
    const alias = sdkRetryKeyAliases(200);
    const names = Array.from({ length: 300 }, (_, n) => alias(key(n)));
    expect(names.at(-1)).toBe('stripe-node-retry-#300');
    expect(Array.from({ length: 200 }, (_, n) => alias(key(100 + n)))).toEqual(names.slice(100));
    expect(alias(key(0))).toBe('stripe-node-retry-#301');
  });
});
