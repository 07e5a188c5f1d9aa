import type { ScenarioContext } from 'fakepsp';

/** What a soak's title promises it did: counted from the run's journal and what it told the service. */
export type SoakEvidence =
  | 'customers'
  | 'usage'
  | 'periods'
  | 'topUps'
  | 'refunds'
  | 'serviceRefunds'
  | 'dashboardRefunds'
  | 'disputes';

const dayMs = 86_400_000;

// A refund the service asked a PSP for: Stripe's, Adyen's and Razorpay's refund calls.
const refundCall = /^\/v1\/refunds$|^\/v\d+\/payments\/[^/]+\/refunds$|^\/v1\/payments\/[^/]+\/refund$/;
// A dispute opened at a PSP: Stripe's event, Adyen's notifications.
const disputeOpened = /dispute\.created$|^NOTIFICATION_OF_CHARGEBACK$|^CHARGEBACK$/;

/** How many of each thing the run did, so a soak's title cannot drift from what it does. */
export function soakEvidence(ctx: ScenarioContext): Record<SoakEvidence, number> {
  const journal = ctx.env.sim.journal.records();
  const count = (test: (kind: string, fields: Record<string, unknown>) => boolean) =>
    journal.filter((record) => test(record.kind, record.data as Record<string, unknown>)).length;
  const serviceRefunds = count(
    (kind, fields) => kind === 'request' && fields.method === 'POST' && refundCall.test(String(fields.path)),
  );
  const dashboardRefunds = count(
    (kind, fields) => kind === 'action' && /dashboard/i.test(String(fields.action ?? fields.admin)),
  );
  const firstSignUp = Math.min(...Object.values(ctx.facts.since).map((at) => Date.parse(at)));
  return {
    customers: ctx.facts.customers.length,
    usage: ctx.facts.usage.length,
    // Monthly plans: whole months of virtual time since the first sign-up.
    periods: Number.isFinite(firstSignUp)
      ? Math.floor((ctx.now().getTime() - firstSignUp) / (28 * dayMs))
      : 0,
    topUps: ctx.facts.topUps.length,
    refunds: serviceRefunds + dashboardRefunds,
    serviceRefunds,
    dashboardRefunds,
    disputes: count((kind, fields) => kind === 'event' && disputeOpened.test(String(fields.type))),
  };
}

/** Fails the run unless it did at least this much of each thing its title promises. */
export function expectSoakDid(ctx: ScenarioContext, promised: Partial<Record<SoakEvidence, number>>): void {
  const did = soakEvidence(ctx);
  const short = Object.entries(promised).filter(([what, atLeast]) => did[what as SoakEvidence] < atLeast!);
  if (short.length > 0) {
    throw new Error(
      `the soak promised ${short.map(([what, atLeast]) => `≥ ${atLeast} ${what}`).join(', ')} but did ` +
        short.map(([what]) => `${did[what as SoakEvidence]} ${what}`).join(', '),
    );
  }
}
