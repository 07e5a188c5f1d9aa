import type { LedgerTransaction, Posting } from '../../src/sut/contract.ts';
import type { MoneyMovement, MovementKind, PspRecords } from '../../src/assertions/psp-records.ts';
import { createSimulation } from '../../src/sim/simulation.ts';

/** A synthetic Stripe movement; `customerId` is what customer metadata would say. */
export function movement(
  kind: MovementKind,
  objectId: string,
  amountMinor: number,
  options: Partial<MoneyMovement> = {},
): MoneyMovement {
  const objectType =
    kind === 'capture'
      ? 'charge'
      : kind.startsWith('refund')
        ? 'refund'
        : kind === 'transfer' || kind === 'application_fee'
          ? kind
          : 'dispute';
  return {
    psp: 'stripe',
    kind,
    objectId,
    objectType,
    parentId: null,
    aliases: [],
    account: null,
    pspCustomerId: null,
    customerId: 'c_1',
    amountMinor,
    currency: 'usd',
    at: '2026-01-02T00:00:00.000Z',
    obligationKeys: [],
    status: 'succeeded',
    eventIds: [],
    requestIds: [],
    ...options,
  };
}

/** Stripe records holding these movements, each also a known object. */
export function stripe(
  movements: readonly MoneyMovement[],
  extraObjects: PspRecords['objects'] = [],
): PspRecords {
  const objects = movements.map((m) => ({
    psp: m.psp,
    objectId: m.objectId,
    objectType: m.objectType,
    status: m.status,
    pspCustomerId: m.pspCustomerId,
    customerId: m.customerId,
    amountMinor: m.amountMinor,
    currency: m.currency,
    parentId: m.parentId,
  }));
  return { psp: 'stripe', movements, objects: [...objects, ...extraObjects], customers: [] };
}

let clock = 0;
const at = () => new Date(Date.UTC(2026, 0, 2) + clock++ * 1000).toISOString();

export function txn(
  id: string,
  kind: string,
  customerId: string,
  ref: { type: string; id: string } | null,
  postings: Array<[string, number, string?]>,
): LedgerTransaction {
  return {
    id,
    at: at(),
    kind,
    customerId,
    ref: ref === null ? null : { psp: 'stripe', ...ref },
    postings: postings.map(([account, amount, currency]): Posting => ({
      account,
      amount,
      currency: currency ?? 'usd',
    })),
  };
}

/** Billing: the customer owes `amount`. */
export const invoiceTxn = (id: string, customer: string, amount: number, currency = 'usd') =>
  txn(id, 'invoice', customer, null, [
    [`customer:${customer}:receivable`, amount, currency],
    ['revenue:usage', -amount, currency],
  ]);

/** A captured payment against the receivable. */
export const paymentTxn = (
  id: string,
  customer: string,
  chargeId: string,
  amount: number,
  currency = 'usd',
) =>
  txn(id, 'payment', customer, { type: 'charge', id: chargeId }, [
    ['psp:stripe:cash', amount, currency],
    [`customer:${customer}:receivable`, -amount, currency],
  ]);

export const refundTxn = (id: string, customer: string, refundId: string, amount: number, currency = 'usd') =>
  txn(id, 'refund', customer, { type: 'refund', id: refundId }, [
    ['psp:stripe:cash', -amount, currency],
    ['revenue:refunds', amount, currency],
  ]);

export const disputeTxn = (
  id: string,
  customer: string,
  disputeId: string,
  amount: number,
  currency = 'usd',
) =>
  txn(id, 'dispute', customer, { type: 'dispute', id: disputeId }, [
    ['psp:stripe:cash', -amount, currency],
    ['disputes:lost', amount, currency],
  ]);

/** A destination charge's transfer: platform cash out, the connected account credited. */
export const transferTxn = (
  id: string,
  customer: string,
  transferId: string,
  account: string,
  amount: number,
) =>
  txn(id, 'transfer', customer, { type: 'transfer', id: transferId }, [
    [`psp:stripe:connect:${account}`, amount],
    ['psp:stripe:cash', -amount],
  ]);

/** The application fee kept back from the connected account: platform cash in. */
export const applicationFeeTxn = (
  id: string,
  customer: string,
  feeId: string,
  account: string,
  amount: number,
) =>
  txn(id, 'application_fee', customer, { type: 'application_fee', id: feeId }, [
    ['psp:stripe:cash', amount],
    [`psp:stripe:connect:${account}`, -amount],
  ]);

export const topUpTxn = (id: string, customer: string, chargeId: string, amount: number) =>
  txn(id, 'topup', customer, { type: 'charge', id: chargeId }, [
    ['psp:stripe:cash', amount],
    [`customer:${customer}:wallet`, -amount],
  ]);

export const walletDebitTxn = (id: string, customer: string, amount: number) =>
  txn(id, 'usage', customer, null, [
    [`customer:${customer}:wallet`, amount],
    ['revenue:usage', -amount],
  ]);

/** A journal with the lines the fake Stripe writes for one charge: request, event, webhook, response. */
export function chargeJournal(chargeId: string, options: { status?: number; fault?: string } = {}) {
  const sim = createSimulation({ seed: 7 });
  const { journal } = sim;
  journal.append({ kind: 'note', data: { hello: 'unrelated' } });
  journal.append({
    kind: 'request',
    psp: 'stripe',
    data: {
      requestId: 'req_1',
      method: 'POST',
      path: '/v1/payment_intents',
      query: '',
      body: 'amount=3000',
      idempotencyKey: null,
      scope: 'platform',
    },
  });
  journal.append({
    kind: 'event',
    psp: 'stripe',
    data: { id: 'evt_1', type: 'charge.succeeded', scope: 'platform', objectId: chargeId, endpoints: 1 },
  });
  journal.append({
    kind: 'response',
    psp: 'stripe',
    data: { requestId: 'req_1', status: 200, events: ['evt_1'] },
  });
  journal.append({ kind: 'clock', data: { nowMs: 1 } });
  if (options.fault !== undefined) {
    journal.append({
      kind: 'fault',
      psp: 'stripe',
      data: { rule: 'forge', effect: { kind: options.fault }, eventId: 'evt_1', attempt: 1 },
    });
  }
  journal.append({
    kind: 'webhook_attempt',
    psp: 'stripe',
    data: {
      eventId: 'evt_1',
      eventType: 'charge.succeeded',
      endpointId: 'we_1',
      url: 'http://127.0.0.1:4000/webhooks/stripe',
      attempt: 1,
      status: options.status ?? 200,
      ...(options.fault === undefined ? {} : { fault: options.fault }),
    },
  });
  return journal;
}
