import type { WebhookDelivery } from '../../src/fakes/common/webhook-dispatcher.ts';

/** A Stripe delivery whose body is its event id, unsigned, retried after `retryDelaysMs`. */
export function bareDelivery(eventId: string, retryDelaysMs: readonly number[]): WebhookDelivery {
  return {
    psp: 'stripe',
    eventId,
    eventType: 'customer.created',
    endpointId: 'we_1',
    url: 'http://127.0.0.1:9/hook',
    body: eventId,
    headersFor: () => ({}),
    retryDelaysMs,
  };
}
