import { describe, expect, it } from 'vitest';
import { apiKeyOf, checkApiKey, meterEventStreamPath } from '../../src/fakes/stripe/auth.ts';

describe('Stripe API keys', () => {
  it('judges every header on its own, whatever was accepted before it', () => {
    const basic = `Basic ${Buffer.from('sk_test_basic:').toString('base64')}`;
    const sequence: Array<[string | undefined, string, string | undefined]> = [
      [undefined, '/v1/customers', 'api_key_missing'],
      ['Bearer sk_test_abc', '/v1/customers', undefined],
      [undefined, '/v1/customers', 'api_key_missing'],
      ['Bearer sk_test_abc', '/v1/customers', undefined],
      ['Bearer sk_live_abc', '/v1/customers', 'live_key_refused'],
      ['Bearer ek_test_abc', meterEventStreamPath, undefined],
      ['Bearer ek_test_abc', '/v1/customers', 'api_key_invalid'],
      ['Bearer sk_test_abc', meterEventStreamPath, undefined],
      ['Bearer ', '/v1/customers', 'api_key_missing'],
      [basic, '/v1/customers', undefined],
      ['Bearer rk_test_abc', '/v1/customers', undefined],
      ['Bearer nonsense', '/v1/customers', 'api_key_invalid'],
    ];
    for (const [header, path, refusal] of sequence)
      expect(checkApiKey(header, path)?.kind, `${header} on ${path}`).toBe(refusal);
  });

  it('reads the key of each header, Bearer or Basic', () => {
    expect(apiKeyOf('Bearer sk_test_one')).toBe('sk_test_one');
    expect(apiKeyOf(`Basic ${Buffer.from('sk_test_two:').toString('base64')}`)).toBe('sk_test_two');
    expect(apiKeyOf('Bearer sk_test_one')).toBe('sk_test_one');
    expect(apiKeyOf('Token x')).toBeUndefined();
    expect(apiKeyOf(undefined)).toBeUndefined();
  });
});
