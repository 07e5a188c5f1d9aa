import { getCACertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { adyenHttpClient, trustCaCertificate } from '../../../src/transports/adyen-sdk.ts';

describe('pointing the Adyen SDK at a fake', () => {
  it('refuses a plain-HTTP base: the SDK speaks only HTTPS', () => {
    expect(() => adyenHttpClient('http://127.0.0.1:12112')).toThrow(/HTTPS/);
    expect(adyenHttpClient('https://127.0.0.1:12112/')).toHaveProperty('request');
  });

  it('adds a CA to the default trust store once, however often it is asked', () => {
    const before = getCACertificates('default').length;
    const pem = getCACertificates('bundled')[0]!;
    trustCaCertificate(pem);
    trustCaCertificate(pem);
    const after = getCACertificates('default');
    expect(after.filter((candidate) => candidate === pem)).toHaveLength(1);
    expect(after.length).toBeGreaterThanOrEqual(before);
  });
});
