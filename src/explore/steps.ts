import type { ScenarioContext } from '../scenarios/context.ts';
import type { RefundRequest } from '../sut/contract.ts';
import type { Action, SignUp } from './actions.ts';
import { quote } from './literal.ts';
import type { CurrencyChoice, Vocabulary } from './vocabulary.ts';

/**
 * One step an explored run took, as it runs and as the written scenario says it: `code` is the
 * body of `ctx.step(label, …)` and does exactly what `run` did.
 */
export interface ResolvedStep {
  readonly label: string;
  /** A TypeScript arrow function over `ctx` (and the file's `refused`). */
  readonly code: string;
  run(ctx: ScenarioContext): Promise<void>;
  /** A PSP-side actor the fake refuses (a dispute of a payment already disputed) did nothing: a skip. */
  readonly skipWhenRefused?: boolean;
}

/** What happened to each action of a run: the step it became, or why it was skipped. */
export interface StepRecord {
  readonly action: Action | SignUp | 'epilogue';
  readonly label: string;
  readonly code?: string;
  /** Why it did nothing: its precondition did not hold. */
  readonly skipped?: string;
  /** The service refused it (an answer, not a break). */
  readonly refused?: string;
}

export interface UsageEvent {
  readonly eventId: string;
  readonly quantity: number;
  readonly at: string;
}

export interface CustomerState {
  readonly id: string;
  readonly currency: CurrencyChoice;
  /** Events the customer sent, and those the service accepted (only those are sent again). */
  readonly sent: UsageEvent[];
  readonly accepted: UsageEvent[];
  readonly sinceMs: number;
  /** Money was taken back (a refund, a dispute): wallet patterns then spend no more (`walletHeld`). */
  reversed: boolean;
}

/** A paid payment as the interpreter acts on it, and the expression that finds it again in the written file. */
export interface FoundPayment {
  readonly customer: CustomerState;
  readonly ref: string;
  readonly amount: number;
  readonly currency: string;
  /** The Stripe account it lives on (`platform` or a connected account). */
  readonly scope?: string;
  /** An expression for the payment object: `ctx.stripe.paidCharges('c_1')[0]!`. */
  readonly lookup: string;
  readonly ordinal: number;
}

/** What the interpreter knows of a run so far: customers, events and requests it made. */
export interface Model {
  readonly customers: CustomerState[];
  readonly refunds: RefundRequest[];
  readonly lateCaptured: Set<string>;
  readonly failedRefunds: Set<string>;
  counts: { signUps: number; events: number; refunds: number };
}

/** The step that ends every explored run: faults stop, retries and poll jobs get a day to catch up. */
export const epilogue: ResolvedStep = {
  label: 'the faults stop; a day passes for retries and the poll job',
  code: "async () => { ctx.faults.clear(); await ctx.advance('1d'); }",
  run: async (ctx) => {
    ctx.faults.clear();
    await ctx.advance('1d');
  },
};

export const refusal = (error: unknown) =>
  (error instanceof Error ? error.message : JSON.stringify(error)).slice(0, 200);

/**
 * In a wallet pattern a customer either spends or has money taken back, never both: a PSP-side
 * reversal of spent credit drives the wallet below its floor and no service can prevent that,
 * and the reference refunds a top-up without asking what the wallet still holds (a known gap).
 */
export function walletHeld(vocabulary: Vocabulary, customer: CustomerState): string | undefined {
  if (!vocabulary.wallet || customer.sent.length === 0) return undefined;
  return `${customer.id} has spent from the wallet; a reversal could take back spent credit`;
}

/** A third of a payment in whole steps of its currency, or all of it. */
export function share(payment: FoundPayment, part: 'full' | 'part'): number {
  if (part === 'full') return payment.amount;
  const { stepMinor } = payment.customer.currency;
  return Math.floor(payment.amount / 3 / stepMinor) * stepMinor;
}

export function plain(
  label: string,
  call: string,
  run: (ctx: ScenarioContext) => Promise<unknown>,
): ResolvedStep {
  return { label, code: `() => ${call}`, run: async (ctx) => void (await run(ctx)) };
}

/**
 * A PSP-side actor. One the fake refuses (a dispute of a payment already disputed) changed
 * nothing and is recorded as a skip, so the written scenario only ever does what worked.
 */
export function actor(label: string, call: string, act: () => void): ResolvedStep {
  return { label, code: `async () => ${call}`, run: async () => act(), skipWhenRefused: true };
}

export function admitted(result: { readonly status: number; readonly body: unknown }): void {
  if (result.status >= 300) throw new Error(JSON.stringify(result.body));
}

/** A paid payment of a customer, and how the written file finds it again. */
export function paidPayment(
  ctx: ScenarioContext,
  vocabulary: Vocabulary,
  customer: CustomerState,
  paymentIndex: number,
): FoundPayment | string {
  const id = quote(customer.id);
  if (vocabulary.psp === 'stripe') {
    // Stripe's own view: a charge may live on a connected account (embedded pattern).
    const charges = ctx.stripe.paidCharges(customer.id);
    if (charges.length === 0) return `${customer.id} has paid nothing yet`;
    const at = paymentIndex % charges.length;
    const charge = charges[at]!;
    return {
      customer,
      ref: charge.id,
      amount: charge.amount,
      currency: charge.currency,
      scope: charge.scope,
      lookup: `ctx.stripe.paidCharges(${id})[${at}]!`,
      ordinal: at + 1,
    };
  }
  const paid = ctx.payments.paid(customer.id);
  if (paid.length === 0) return `${customer.id} has paid nothing yet`;
  const at = paymentIndex % paid.length;
  const payment = paid[at]!;
  return { customer, ...payment, lookup: `ctx.payments.paid(${id})[${at}]!`, ordinal: at + 1 };
}
