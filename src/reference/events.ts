import Stripe from 'stripe';
import { bug, onAccount, stripeOf, type Runtime } from './context.ts';
import { redriveAdyen } from './adyen/payments.ts';
import { applyIntent, redrivePayments } from './payments.ts';
import { redriveRazorpay } from './razorpay/payments.ts';
import type { Origin } from './postings.ts';
import { applyDispute, applyRefund } from './reversals.ts';

/** What a pattern adds to the shared event handling (Stripe Billing's `invoice.*`). */
export type PatternEventHandler = (runtime: Runtime, event: Stripe.Event, origin: Origin) => Promise<void>;

/** A webhook refused for its signature. */
export class SignatureError extends Error {
  override readonly name = 'SignatureError';
}

// stripe-node's default; the seeded bug stretches it to a year.
const toleranceSeconds = 300;

/**
 * Verifies a delivery over its raw body against every secret the service holds (the harness's,
 * and the Connect endpoint's it registered), as `stripe.webhooks.constructEvent` does.
 */
export function verifyWebhook(
  runtime: Runtime,
  rawBody: string,
  signature: string | undefined,
): Stripe.Event {
  if (bug(runtime, 'badSignatureAccepted')) return JSON.parse(rawBody) as Stripe.Event;
  // The seeded bug: "verify the signature if there is one".
  if (signature === undefined && bug(runtime, 'unsignedWebhookAccepted'))
    return JSON.parse(rawBody) as Stripe.Event;
  const tolerance = bug(runtime, 'staleSignatureAccepted') ? 365 * 86_400 : toleranceSeconds;
  for (const secret of runtime.webhookSecrets) {
    try {
      return stripeOf(runtime).webhooks.constructEvent(rawBody, signature ?? '', secret, tolerance);
    } catch {
      // Try the next secret; none matching is a rejection.
    }
  }
  runtime.rejectedWebhooks += 1;
  throw new SignatureError('no signature matches, or its timestamp is outside the tolerance');
}

/**
 * Handles one event at most once (by event id), from a webhook or the poll job. A handler
 * that throws forgets the id, so Stripe's retry (or the next poll) tries again.
 */
export async function receiveEvent(
  runtime: Runtime,
  event: Stripe.Event,
  origin: Origin,
  onPatternEvent: PatternEventHandler,
): Promise<void> {
  const dedupe = !(origin === 'webhook' && bug(runtime, 'noWebhookDedupe'));
  if (dedupe && runtime.seenEvents.has(event.id)) return;
  runtime.seenEvents.add(event.id);
  try {
    await dispatch(runtime, event, origin, onPatternEvent);
  } catch (error) {
    runtime.seenEvents.delete(event.id);
    throw error;
  }
}

async function dispatch(
  runtime: Runtime,
  event: Stripe.Event,
  origin: Origin,
  onPatternEvent: PatternEventHandler,
): Promise<void> {
  const account = event.account ?? undefined;
  switch (event.type) {
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed':
    case 'payment_intent.processing':
    case 'payment_intent.canceled':
      return applyIntent(runtime, event.data.object, account, origin);
    case 'charge.refunded': {
      const refunds = await stripeOf(runtime).refunds.list(
        { charge: event.data.object.id, limit: 100 },
        onAccount(account),
      );
      for (const refund of refunds.data) await applyRefund(runtime, refund, account, origin);
      return;
    }
    case 'refund.created':
    case 'refund.updated':
    case 'refund.failed':
      return applyRefund(runtime, event.data.object, account, origin);
    case 'charge.dispute.created':
    case 'charge.dispute.funds_withdrawn':
    case 'charge.dispute.funds_reinstated':
    case 'charge.dispute.closed':
      return applyDispute(runtime, event.data.object, account, origin);
    default:
      return onPatternEvent(runtime, event, origin);
  }
}

// A bound on one catch-up, so a runaway event stream is an error rather than a hang.
const eventsPerPollMax = 10_000;

/** Remembers the newest event of an account, so the poll job starts after it. */
export async function markEventCursor(runtime: Runtime, account: string | undefined): Promise<void> {
  const newest = await stripeOf(runtime).events.list({ limit: 1 }, onAccount(account));
  if (newest.data[0] !== undefined) runtime.eventCursors.set(account ?? '', newest.data[0].id);
}

/**
 * The poll job: reads every event since the last poll (platform and connected accounts), oldest
 * first, through the same once-only handler as webhooks, then re-drives unfinished payments.
 * It closes the gaps that missed, dropped or rejected webhooks leave.
 */
export async function reconcile(runtime: Runtime, onPatternEvent: PatternEventHandler): Promise<void> {
  if (bug(runtime, 'noReconcileJob')) return;
  for (const account of [undefined, ...runtime.connectedAccounts]) {
    for (const event of await eventsSinceCursor(runtime, account)) {
      await receiveEvent(runtime, event, 'poll', onPatternEvent);
      // Past an event only once it is handled: one whose handler failed is read again next poll.
      runtime.eventCursors.set(account ?? '', event.id);
    }
  }
  await redrivePayments(runtime);
  if (runtime.adyen !== undefined) await redriveAdyen(runtime);
  if (runtime.razorpay !== undefined) await redriveRazorpay(runtime);
}

async function eventsSinceCursor(runtime: Runtime, account: string | undefined): Promise<Stripe.Event[]> {
  const stripe = stripeOf(runtime);
  const newestFirst: Stripe.Event[] = [];
  let cursor = runtime.eventCursors.get(account ?? '');
  if (cursor === undefined) {
    for await (const event of stripe.events.list({ limit: 100 }, onAccount(account))) {
      newestFirst.push(event);
      if (newestFirst.length > eventsPerPollMax) throw new Error('too many events in one poll');
    }
  } else {
    for (;;) {
      const page = await stripe.events.list({ limit: 100, ending_before: cursor }, onAccount(account));
      newestFirst.unshift(...page.data);
      if (page.data[0] !== undefined) cursor = page.data[0].id;
      if (!page.has_more || newestFirst.length > eventsPerPollMax) break;
    }
  }
  return newestFirst.reverse();
}
