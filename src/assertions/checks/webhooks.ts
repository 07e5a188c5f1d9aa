import type { JournalLine } from '../../sim/journal.ts';
import type { Break } from '../breaks.ts';
import type { ReconcileContext } from '../context.ts';
import { customerText, pspTitle } from '../explain.ts';
import { is2xx } from '../journal-index.ts';
import { makeBreak } from './make.ts';

/** Signature faults a SUT must reject: a wrong HMAC, none at all, or a timestamp outside the tolerance. */
const forged = new Set(['bad_signature', 'unsigned', 'stale_timestamp']);

const forgeryText: Readonly<Record<string, string>> = {
  bad_signature: 'a signature that does not verify',
  unsigned: 'no signature at all',
  stale_timestamp: 'a stale signature timestamp',
};

/** The SUT acknowledged (2xx) a webhook the harness had signed wrongly. */
export function checkWebhookSignatures(context: ReconcileContext): Break[] {
  const breaks: Break[] = [];
  for (const attempt of context.journal.allAttempts()) {
    const { fault, status } = attempt.data;
    if (fault === undefined || !forged.has(fault) || !is2xx(status)) continue;
    breaks.push(acceptedForgery(context, attempt));
  }
  return breaks;
}

function acceptedForgery(context: ReconcileContext, attempt: JournalLine<'webhook_attempt'>): Break {
  const data = attempt.data;
  const eventId = data.eventId;
  const psp = attempt.psp ?? 'unknown';
  const objectId = context.journal.eventObjectId(eventId);
  const object = objectId === null ? undefined : context.object(psp, objectId);
  const customer = object?.customerId ?? (object?.pspCustomerId ? `${psp}:${object.pspCustomerId}` : null);
  const event = context.journal.event(eventId);
  const fault = context.journal.webhookFault(eventId, data.attempt);
  const what = forgeryText[String(data.fault)] ?? String(data.fault);
  return makeBreak(context, {
    kind: 'bad_signature_accepted',
    customer,
    psp,
    pspObjects: [
      { psp, type: 'event', id: eventId },
      ...(objectId === null ? [] : [{ psp, type: object?.objectType ?? 'object', id: objectId }]),
    ],
    expected: null,
    actual: null,
    records: [attempt, ...(event === undefined ? [] : [event]), ...(fault === undefined ? [] : [fault])],
    explanation:
      `The harness sent ${pspTitle(psp)} webhook ${eventId} (${String(data.eventType)}` +
      `${objectId === null ? '' : ` about ${objectId}`}, ${customerText(customer)}) with ${what}, and the billing ` +
      `system answered ${String(data.status)} instead of rejecting it: anyone who can reach the endpoint ` +
      `could forge payments, refunds or disputes into the books.`,
  });
}
