import type { PspName } from '../fakes/common/psp-core.ts';
import {
  runStripeFixtures,
  type FixtureResponses,
  type StripeFixtureFile,
} from '../fakes/stripe/cli-fixtures.ts';
import type { PspEnvironment } from './environment.ts';

/**
 * Runs a Stripe CLI fixture file as support would act in the dashboard, and notes every Stripe
 * customer its answers touch: a coupon, credit note or schedule made there changes what the
 * customer pays, which the plan the service was given no longer says.
 */
export function runDashboardFixture(
  env: PspEnvironment,
  file: StripeFixtureFile,
  repriced: { psp: PspName; pspCustomerId: string }[],
): FixtureResponses {
  const answers = runStripeFixtures(env.stripe.core, file, {
    apiKey: 'sk_test_stripe_cli',
    random: env.sim.stream('stripe/cli-fixtures'),
  });
  for (const answer of Object.values(answers)) {
    const pspCustomerId = customerOfAnswer(answer);
    if (pspCustomerId !== undefined && !repriced.some((entry) => entry.pspCustomerId === pspCustomerId))
      repriced.push({ psp: 'stripe', pspCustomerId });
  }
  return answers;
}

/** The customer a Stripe answer is, or belongs to (a credit note's, a schedule's `customer`). */
function customerOfAnswer(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { object, id, customer } = answer as { object?: unknown; id?: unknown; customer?: unknown };
  if (object === 'customer' && typeof id === 'string') return id;
  if (typeof customer === 'string') return customer;
  if (
    typeof customer === 'object' &&
    customer !== null &&
    typeof (customer as { id?: unknown }).id === 'string'
  )
    return (customer as { id: string }).id;
  return undefined;
}
