import type { PspName, ScenarioContext, PaidPayment } from 'fakepsp';

/** Every PSP: pattern 3 runs each scenario once per PSP the customers are routed to. */
export const allPsps: readonly PspName[] = ['stripe', 'adyen', 'razorpay'];

/** The call that moves a customer's money at each PSP, for faults aimed at it. */
export const chargeCall: Readonly<Record<PspName, { readonly method: string; readonly path: string }>> = {
  stripe: { method: 'POST', path: '/v1/payment_intents' },
  // The authorisation; the capture that follows is `/vNN/payments/{psp}/captures`.
  adyen: { method: 'POST', path: '/*/payments' },
  razorpay: { method: 'POST', path: '/v1/payments/create/recurring' },
};

/** The refund call at each PSP. */
export const refundCall: Readonly<Record<PspName, { readonly method: string; readonly path: string }>> = {
  stripe: { method: 'POST', path: '/v1/refunds' },
  adyen: { method: 'POST', path: '/*/payments/*/refunds' },
  razorpay: { method: 'POST', path: '/v1/payments/*/refund' },
};

/**
 * Fails the run unless the customer's captured payments are exactly these amounts, oldest first:
 * what one invoice per period of deduplicated usage comes to, whichever PSP collected it.
 */
export function expectPaid(ctx: ScenarioContext, customerId: string, amounts: readonly number[]): void {
  const paid = ctx.payments.paid(customerId).map((payment) => payment.amount);
  if (paid.join(',') !== amounts.join(',')) {
    throw new Error(
      `${customerId} paid [${paid.join(', ')}] at ${ctx.psp}; one invoice per period of deduplicated usage ` +
        `comes to [${amounts.join(', ')}]`,
    );
  }
}

/** The customer's only captured payment so far, or an error naming what was found. */
export function onlyPayment(ctx: ScenarioContext, customerId: string): PaidPayment {
  const paid = ctx.payments.paid(customerId);
  if (paid.length !== 1)
    throw new Error(`${customerId} has ${paid.length} payments at ${ctx.psp}, expected 1`);
  return paid[0]!;
}
