import type { RecordUsageRequest, TopUpRequest } from '../sut/contract.ts';
import { bug, customerOf, DeclinedError, InputError, type CustomerRecord, type Runtime } from './context.ts';
import { acceptUsage, validateUsage } from './customers.ts';
import { accounts, transfer } from './ledger.ts';
import { parseInstant } from './money.ts';
import { chargePayment, type Payment } from './payments.ts';

/** How a top-up is charged: on a connected account, or to the platform with a destination. */
export type TopUpRouting = Pick<Payment, 'account' | 'destination' | 'psp'>;

/**
 * Tops a wallet up through a PaymentIntent, keyed by the harness's requestId; the wallet is
 * credited when the charge is booked (API answer, webhook or poll, whichever comes first).
 */
export async function topUpWallet(
  runtime: Runtime,
  request: TopUpRequest,
  routing: TopUpRouting,
  collect: (runtime: Runtime, payment: Payment) => Promise<void> = chargePayment,
): Promise<void> {
  const customer = customerOf(runtime, request.customerId);
  if (request.currency !== customer.request.currency) {
    throw new InputError(`top-up currency ${request.currency} is not ${customer.request.currency}`);
  }
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
    throw new InputError('amount must be a positive integer of minor units');
  }
  const id = `topup:${request.customerId}:${request.requestId}`;
  const existing = runtime.payments.get(id);
  if (existing !== undefined) return;
  const payment = runtime.payments.add({
    id,
    customerId: request.customerId,
    purpose: 'topup',
    amount: request.amount,
    currency: request.currency,
    ...routing,
  });
  await collect(runtime, payment);
}

/**
 * Debits the wallet for one usage event, at once and atomically: the balance check and the
 * debit happen with no await between them, so concurrent events cannot both spend one balance.
 * An event the balance cannot cover is refused (402) and not billed.
 */
export async function debitUsage(runtime: Runtime, request: RecordUsageRequest): Promise<void> {
  const customer = customerOf(runtime, request.customerId);
  const atMs = parseInstant(request.at, 'at');
  validateUsage(customer, request);
  const unitPrice = customer.request.plan.unitPricesMinor[request.meter] ?? 0;
  const price = unitPrice * request.quantity;
  const event = { eventId: request.eventId, meter: request.meter, quantity: request.quantity, atMs };
  if (customer.usage.has(request.eventId) && !bug(runtime, 'duplicateUsageBilled')) return;
  if (price > 0) {
    const balance = bug(runtime, 'nonAtomicWalletDebit') ? await readBalance(customer) : customer.walletMinor;
    if (balance < price) {
      throw new DeclinedError(
        `wallet of ${request.customerId} holds ${balance}, event ${request.eventId} costs ${price}`,
      );
    }
    customer.walletMinor = balance - price;
  }
  const id = acceptUsage(runtime, customer, event, bug(runtime, 'duplicateUsageBilled'));
  if (id === undefined) return;
  runtime.ledger.post({
    key: `usage:${request.customerId}:${id}`,
    at: new Date(atMs).toISOString(),
    kind: 'usage',
    customerId: request.customerId,
    ref: null,
    postings: transfer(accounts.wallet(request.customerId), accounts.usage, price, customer.request.currency),
    usage: [{ meter: request.meter, quantity: request.quantity }],
  });
}

// The seeded race: the balance is read from "storage" and written back after an await.
async function readBalance(customer: CustomerRecord): Promise<number> {
  return Promise.resolve(customer.walletMinor);
}
