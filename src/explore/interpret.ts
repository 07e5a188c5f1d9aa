import type { ScenarioContext } from '../scenarios/context.ts';
import { formatMoney, money } from '../sim/money.ts';
import type { Action, SignUp } from './actions.ts';
import { literal, quote } from './literal.ts';
import {
  adyenFailNextStep,
  failRefundStep,
  holdCaptureStep,
  lateCaptureStep,
  reversalStep,
} from './psp-actors.ts';
import {
  epilogue,
  paidPayment,
  plain,
  refusal,
  share,
  walletHeld,
  type CustomerState,
  type FoundPayment,
  type Model,
  type ResolvedStep,
  type StepRecord,
  type UsageEvent,
} from './steps.ts';
import type { CardChoice, Vocabulary } from './vocabulary.ts';

export type { StepRecord } from './steps.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * Interprets explored actions against a run's context, one `ctx.step` each, recording what
 * each became. A request the service refuses is an answer (recorded, not thrown); an action
 * whose precondition does not hold is skipped; the PSP-side actors never throw at the harness.
 */
export class Interpreter {
  readonly records: StepRecord[] = [];
  readonly #vocabulary: Vocabulary;
  readonly #model: Model = {
    customers: [],
    refunds: [],
    lateCaptured: new Set(),
    failedRefunds: new Set(),
    counts: { signUps: 0, events: 0, refunds: 0 },
  };

  constructor(vocabulary: Vocabulary) {
    this.#vocabulary = vocabulary;
  }

  /** Steps actually taken (not skipped). */
  get commands(): number {
    return this.records.filter((record) => record.skipped === undefined).length;
  }

  async apply(ctx: ScenarioContext, action: Action | SignUp): Promise<void> {
    const resolved = this.#resolve(ctx, action);
    if (typeof resolved === 'string') {
      this.records.push({ action, label: action.kind, skipped: resolved });
      return;
    }
    const record: {
      action: Action | SignUp;
      label: string;
      code: string;
      refused?: string;
      skipped?: string;
    } = {
      action,
      label: resolved.label,
      code: resolved.code,
    };
    this.records.push(record);
    await ctx.step(resolved.label, () =>
      resolved.run(ctx).catch((error: unknown) => {
        if (resolved.skipWhenRefused === true) record.skipped = `the PSP refused: ${refusal(error)}`;
        else record.refused = refusal(error);
      }),
    );
  }

  async finish(ctx: ScenarioContext): Promise<void> {
    this.records.push({ action: 'epilogue', label: epilogue.label, code: epilogue.code });
    await ctx.step(epilogue.label, () => epilogue.run(ctx));
  }

  #resolve(ctx: ScenarioContext, action: Action | SignUp): ResolvedStep | string {
    switch (action.kind) {
      case 'advance':
        return plain(`${action.by} pass`, `ctx.advance(${quote(action.by)}).catch(refused)`, () =>
          ctx.advance(action.by),
        );
      case 'settle':
        return plain('the service settles', 'ctx.settle().catch(refused)', () => ctx.settle());
      case 'signUp':
        return this.#signUp(ctx, action);
      case 'usage':
        return this.#usage(ctx, action);
      case 'burst':
        return this.#burst(ctx, action);
      case 'topUp':
        return this.#topUp(action);
      case 'refund':
        return this.#refund(ctx, action);
      case 'dashboardRefund':
      case 'dispute':
        return reversalStep(
          ctx,
          this.#vocabulary,
          this.#payment(ctx, action.customer, action.payment),
          action,
        );
      case 'adyenFailNext':
        return adyenFailNextStep(ctx, action);
      case 'razorpayLateCapture':
        return lateCaptureStep(ctx, this.#model, this.#customer(action.customer));
      case 'razorpayFailRefund':
        return failRefundStep(ctx, this.#model, this.#customer(action.customer));
      case 'razorpayHoldCapture':
        return holdCaptureStep(ctx);
    }
  }

  #customer(index: number): CustomerState | undefined {
    const { customers } = this.#model;
    return customers.length === 0 ? undefined : customers[index % customers.length];
  }

  #signUp(ctx: ScenarioContext, action: SignUp): ResolvedStep | string {
    const currency = this.#vocabulary.currencies[action.currency];
    if (currency === undefined) return `no ${action.currency}-decimal currency at ${this.#vocabulary.psp}`;
    const card: CardChoice = this.#vocabulary.cards[action.card % this.#vocabulary.cards.length]!;
    const id = `c_${++this.#model.counts.signUps}`;
    const request = {
      customerId: id,
      currency: currency.code,
      paymentMethod: card.token,
      plan: { ...currency.plan, interval: action.interval },
    };
    return {
      label: `${id} signs up: ${currency.code.toUpperCase()}, billed every ${action.interval}, ${card.label}`,
      code: `() => ctx.customer(${literal(request)}).catch(refused)`,
      run: async () => {
        await ctx.customer(request);
        this.#model.customers.push({
          id,
          currency,
          sent: [],
          accepted: [],
          sinceMs: ctx.now().getTime(),
          reversed: false,
        });
      },
    };
  }

  #usage(ctx: ScenarioContext, action: Extract<Action, { kind: 'usage' }>): ResolvedStep | string {
    const customer = this.#customer(action.customer);
    if (customer === undefined) return 'no customer yet';
    if (this.#vocabulary.wallet && customer.reversed)
      return `${customer.id}'s wallet was reversed at the PSP`;
    if (action.event === 'repeat') {
      if (customer.accepted.length === 0) return `${customer.id} has no accepted usage to send again`;
      const event = customer.accepted[action.back % customer.accepted.length]!;
      return this.#sendUsage(ctx, customer, event, `${customer.id} sends usage event ${event.eventId} again`);
    }
    // A real-time wallet debits usage when it arrives: an event dated back is a metered pattern's story.
    if (this.#vocabulary.wallet && action.event !== 'new')
      return `${this.#vocabulary.pattern} debits usage on arrival`;
    const nowMs = ctx.now().getTime();
    const backMs =
      action.event === 'late'
        ? (1 + (action.back % 24)) * hourMs
        : action.event === 'backfill'
          ? (2 + action.back) * dayMs
          : 0;
    const at = new Date(Math.max(customer.sinceMs, nowMs - backMs)).toISOString();
    const event = { eventId: `e${++this.#model.counts.events}`, quantity: action.quantity, at };
    const when = action.event === 'new' ? '' : ` dated ${at} (${action.event})`;
    return this.#sendUsage(
      ctx,
      customer,
      event,
      `${customer.id} uses ${action.quantity} tokens, event ${event.eventId}${when}`,
    );
  }

  #sendUsage(ctx: ScenarioContext, customer: CustomerState, event: UsageEvent, label: string): ResolvedStep {
    return {
      label,
      code:
        `() => ctx.usage(${quote(customer.id)}, ${event.quantity}, ` +
        `{ eventId: ${quote(event.eventId)}, at: new Date(${quote(event.at)}) }).catch(refused)`,
      run: async () => {
        customer.sent.push(event);
        await ctx.usage(customer.id, event.quantity, { eventId: event.eventId, at: new Date(event.at) });
        if (!customer.accepted.includes(event)) customer.accepted.push(event);
      },
    };
  }

  #burst(ctx: ScenarioContext, action: Extract<Action, { kind: 'burst' }>): ResolvedStep | string {
    const customer = this.#customer(action.customer);
    if (customer === undefined) return 'no customer yet';
    if (this.#vocabulary.wallet && customer.reversed)
      return `${customer.id}'s wallet was reversed at the PSP`;
    const at = ctx.now().toISOString();
    const events = Array.from({ length: action.size }, () => ({
      eventId: `e${++this.#model.counts.events}`,
      quantity: action.quantity,
      at,
    }));
    const ids = events.map((event) => event.eventId);
    return {
      label: `${customer.id} sends ${action.size} usage events of ${action.quantity} tokens at once`,
      code:
        `() => Promise.allSettled(${literal(ids)}.map((eventId) => ` +
        `ctx.usage(${quote(customer.id)}, ${action.quantity}, { eventId, at: new Date(${quote(at)}) })))`,
      run: async () => {
        customer.sent.push(...events);
        const settled = await Promise.allSettled(
          events.map((event) =>
            ctx.usage(customer.id, event.quantity, { eventId: event.eventId, at: new Date(at) }),
          ),
        );
        settled.forEach((outcome, at) => {
          if (outcome.status === 'fulfilled') customer.accepted.push(events[at]!);
        });
      },
    };
  }

  #topUp(action: Extract<Action, { kind: 'topUp' }>): ResolvedStep | string {
    if (!this.#vocabulary.wallet) return `${this.#vocabulary.pattern} has no wallet`;
    const customer = this.#customer(action.customer);
    if (customer === undefined) return 'no customer yet';
    const amount = action.amount * customer.currency.stepMinor;
    return plain(
      `${customer.id} tops up ${formatMoney(money(amount, customer.currency.code))}`,
      `ctx.topUp(${quote(customer.id)}, ${amount}).catch(refused)`,
      (ctx) => ctx.topUp(customer.id, amount),
    );
  }

  #payment(ctx: ScenarioContext, customerIndex: number, paymentIndex: number): FoundPayment | string {
    const customer = this.#customer(customerIndex);
    if (customer === undefined) return 'no customer yet';
    return paidPayment(ctx, this.#vocabulary, customer, paymentIndex);
  }

  #refund(ctx: ScenarioContext, action: Extract<Action, { kind: 'refund' }>): ResolvedStep | string {
    if (action.repeat) {
      const { refunds } = this.#model;
      if (refunds.length === 0) return 'no refund asked for yet';
      const request = refunds[action.payment % refunds.length]!;
      return plain(
        `refund request ${request.requestId} is sent again`,
        `ctx.sut.refund(${literal(request)}).catch(refused)`,
        (context) => context.sut.refund(request),
      );
    }
    const found = this.#payment(ctx, action.customer, action.payment);
    if (typeof found === 'string') return found;
    const { customer, lookup, ordinal } = found;
    const held = walletHeld(this.#vocabulary, customer);
    if (held !== undefined) return held;
    const amount = share(found, action.share);
    if (amount === 0) return `payment ${found.ref} is too small to refund in part`;
    const requestId = `r${++this.#model.counts.refunds}`;
    const request = { customerId: customer.id, ref: found.ref, amount, requestId };
    const ref = `${lookup}.${this.#vocabulary.psp === 'stripe' ? 'id' : 'ref'}`;
    const written = `{ customerId: ${quote(customer.id)}, ref: ${ref}, amount: ${amount}, requestId: ${quote(requestId)} }`;
    const what = action.share === 'full' ? 'full' : 'partial';
    return {
      label: `${customer.id} asks for a ${what} refund of payment ${ordinal}: ${formatMoney(money(amount, found.currency))} (${requestId})`,
      code: `() => ctx.sut.refund(${written}).catch(refused)`,
      run: async () => {
        customer.reversed = true;
        this.#model.refunds.push(request);
        await ctx.sut.refund(request);
      },
    };
  }
}
