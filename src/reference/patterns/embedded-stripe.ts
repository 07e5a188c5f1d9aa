import type { TopUpRequest } from '../../sut/contract.ts';
import { bug, customerOf, stripeOf, type Runtime } from '../context.ts';
import { createStripeCustomer } from '../customers.ts';
import { debitUsage, topUpWallet, type TopUpRouting } from '../wallet.ts';
import { ignoreEvent, type Pattern } from './pattern.ts';

/**
 * Embedded Stripe (Connect): every customer is a tenant with its own connected account, and a
 * real-time wallet debited atomically per usage event. Top-ups are PaymentIntents:
 * - transparent (default): a direct charge on the tenant's account (`Stripe-Account`), the
 *   customer and card living there too;
 * - opaque: a destination charge on the platform (`transfer_data.destination`) keeping an
 *   application fee (`applicationFeeBps`).
 * The variant is the `embeddedVariant` option. Connected accounts' events reach a Connect
 * webhook endpoint the service registers itself at setup.
 */
export const embeddedStripe: Pattern = {
  name: 'embedded-stripe',
  async onSetup(runtime) {
    const endpoint = await stripeOf(runtime).webhookEndpoints.create(
      { url: runtime.webhookUrl, enabled_events: ['*'], connect: true },
      { idempotencyKey: `connect-endpoint:${runtime.setup?.runId}` },
    );
    if (endpoint.secret !== undefined) runtime.webhookSecrets.push(endpoint.secret);
  },
  async createCustomer(runtime, request) {
    const account = await stripeOf(runtime).accounts.create(
      {
        type: 'express',
        email: request.email,
        default_currency: request.currency,
        metadata: { fakepsp_customer_id: request.customerId },
      },
      { idempotencyKey: `account:${runtime.setup?.runId}:${request.customerId}` },
    );
    runtime.connectedAccounts.push(account.id);
    const transparent = (runtime.options.embeddedVariant ?? 'transparent') === 'transparent';
    await createStripeCustomer(
      runtime,
      request,
      transparent ? { account: account.id } : { payoutAccount: account.id },
    );
  },
  recordUsage: debitUsage,
  topUp: (runtime, request) => topUpWallet(runtime, request, routingOf(runtime, request)),
  runDueJobs: () => Promise.resolve(),
  onEvent: ignoreEvent,
};

function routingOf(runtime: Runtime, request: TopUpRequest): TopUpRouting {
  const customer = customerOf(runtime, request.customerId);
  if (customer.account !== undefined) return { account: customer.account };
  const bps = runtime.options.applicationFeeBps ?? 1000;
  return {
    destination: {
      account: bug(runtime, 'wrongConnectAccountCredited')
        ? neighbourAccount(runtime, request.customerId)
        : customer.payoutAccount!,
      applicationFee: Math.floor((request.amount * bps) / 10_000),
    },
  };
}

// The seeded bug's off-by-one: the payout account of the tenant created just before (or after).
function neighbourAccount(runtime: Runtime, customerId: string): string {
  const tenants = [...runtime.customers.values()].filter((customer) => customer.payoutAccount !== undefined);
  const index = tenants.findIndex((customer) => customer.request.customerId === customerId);
  const neighbour = tenants[index > 0 ? index - 1 : index + 1] ?? tenants[index]!;
  return neighbour.payoutAccount!;
}
