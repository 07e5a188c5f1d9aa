import type { ReferenceOptions } from './context.ts';
import { ReferenceService, type ReferenceBillingSystem } from './service.ts';

export type { EmbeddedVariant, ReferenceOptions } from './context.ts';
export { mutantNames, mutants, type MutantName } from './mutants.ts';
export type { ReferenceBillingSystem } from './service.ts';

/**
 * The reference billing service, in-process. It implements the byo-stripe, managed-stripe,
 * embedded-stripe and hybrid patterns over the official Stripe SDK, managed-razorpay over
 * Razorpay Subscriptions and multi-psp over all three PSPs, with a seeded bug if asked.
 *
 * @example
 * const sut = createReferenceBillingSystem({ mutant: 'noWebhookDedupe' });
 * const psps = { stripe: { apiBase: 'http://127.0.0.1:12111', secretKey: 'sk_test_fakepsp', webhookSecret: 'whsec_fakepsp' } };
 * const { webhooks } = await sut.setup({ runId: 'run_1', seed: 1, pattern: 'byo-stripe', now: '2026-01-01T00:00:00Z', psps });
 * // … drive it, then: await sut.close();
 */
export function createReferenceBillingSystem(options: ReferenceOptions = {}): ReferenceBillingSystem {
  return new ReferenceService(options);
}
