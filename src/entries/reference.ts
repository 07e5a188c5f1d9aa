/**
 * `fakepsp/reference`: the reference billing service — every integration pattern over the
 * official SDKs, with seeded bugs (`mutant`) the shipped scenarios must catch.
 *
 * @example
 * import { createReferenceBillingSystem } from 'fakepsp/reference';
 * const sut = createReferenceBillingSystem({ mutant: 'noWebhookDedupe' });
 */
export { createReferenceBillingSystem, mutantNames } from '../reference/index.ts';
export type { MutantName, ReferenceOptions } from '../reference/index.ts';
export { serveReference } from '../reference/main.ts';
