import { currentState, idOf, track } from './state.js';
import { applyIntent, syncCharge } from './stripe-payments.js';

/**
 * `POST /webhooks/stripe`, mounted behind `express.raw()`: the signature covers the exact bytes.
 * Stripe delivers at least once, late, out of order and sometimes twice, so each event is
 * handled once (by id) and only as a hint of which charge to read back from Stripe.
 * @type {import('express').RequestHandler}
 */
export async function stripeWebhook(request, response) {
  const state = currentState();
  if (state === undefined) return void response.status(503).json({ error: 'no run is set up' });
  let event;
  try {
    // Checked against the real clock: Stripe signs with real time (300 s tolerance).
    event = state.stripe.webhooks.constructEvent(
      request.body,
      request.get('stripe-signature') ?? '',
      state.webhookSecret,
    );
  } catch (error) {
    console.error(`webhook rejected: ${error.message.split('\n')[0]}`);
    return void response.status(400).json({ error: 'signature verification failed' });
  }
  if (state.seenEvents.has(event.id)) return void response.json({ received: true });
  state.seenEvents.add(event.id);
  try {
    await track(state, handleEvent(state, event));
    response.json({ received: true });
  } catch (error) {
    // Forget the event and answer 5xx: Stripe retries it (and the poll job would find it).
    state.seenEvents.delete(event.id);
    console.error(`webhook ${event.id} (${event.type}): ${error.message}`);
    response.status(500).json({ error: error.message });
  }
}

/**
 * @param {import('./state.js').State} state
 * @param {import('stripe').Stripe.Event} event
 */
async function handleEvent(state, event) {
  const object = /** @type {any} */ (event.data.object);
  if (object.object === 'payment_intent') await applyIntent(state, object);
  else if (object.object === 'charge') await syncCharge(state, object.id);
  else if (object.object === 'refund' || object.object === 'dispute')
    await syncCharge(state, idOf(object.charge));
}
