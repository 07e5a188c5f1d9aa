import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, startWebhookReceiver, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  h = await startStripe();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await h.close();
});

describe('Connect: accounts and Stripe-Account scoping', () => {
  it("creates a connected account in Stripe's shape", async () => {
    const account = await h.stripe.accounts.create({
      type: 'express',
      country: 'US',
      email: 't@example.com',
    });
    expect(account.id).toMatch(/^acct_[0-9A-Za-z]{16}$/);
    expectStripeShape('account', account);
    expect(account.charges_enabled).toBe(true);
    expect((await h.stripe.accounts.retrieve(account.id)).email).toBe('t@example.com');
  });

  it('scopes objects and lists to the account named by Stripe-Account', async () => {
    const account = await h.stripe.accounts.create({ type: 'standard' });
    const tenant = h.client({ stripeAccount: account.id });
    const onTenant = await tenant.customers.create({ email: 'tenant@example.com' });
    const onPlatform = await h.stripe.customers.create({ email: 'platform@example.com' });
    const tenantIds = (await tenant.customers.list({ limit: 100 })).data.map((customer) => customer.id);
    const platformIds = (await h.stripe.customers.list({ limit: 100 })).data.map((customer) => customer.id);
    expect(tenantIds).toContain(onTenant.id);
    expect(tenantIds).not.toContain(onPlatform.id);
    expect(platformIds).not.toContain(onTenant.id);
    const error = await h.stripe.customers.retrieve(onTenant.id).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('refuses a Stripe-Account that is not connected with 403 account_invalid', async () => {
    const error = await h
      .client({ stripeAccount: 'acct_unknown' })
      .customers.list()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect(error).toMatchObject({ statusCode: 403, code: 'account_invalid' });
  });

  it('sends connected-account events, carrying `account`, only to Connect endpoints', async () => {
    const account = await h.stripe.accounts.create({ type: 'express' });
    const connectEndpoint = await h.stripe.webhookEndpoints.create({
      url: `${receiver.url}?connect`,
      enabled_events: ['customer.created'],
      connect: true,
    });
    await h.stripe.webhookEndpoints.create({
      url: `${receiver.url}?platform`,
      enabled_events: ['customer.created'],
    });
    receiver.received.length = 0;
    await h.client({ stripeAccount: account.id }).customers.create({ email: 'c@example.com' });
    await h.fake.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    const event = h.stripe.webhooks.constructEvent(
      receiver.received[0]!.body,
      String(receiver.received[0]!.headers['stripe-signature']),
      connectEndpoint.secret!,
    );
    expect(event.account).toBe(account.id);
    const tenantEvents = await h
      .client({ stripeAccount: account.id })
      .events.list({ type: 'customer.created' });
    expect(tenantEvents.data.map((listed) => listed.id)).toContain(event.id);
    const platformEvents = await h.stripe.events.list({ limit: 100 });
    expect(platformEvents.data.map((listed) => listed.id)).not.toContain(event.id);
  });
});
