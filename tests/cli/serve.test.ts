import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { readFile } from 'node:fs/promises';
import { CheckoutAPI, Client, EnvironmentEnum, Types } from '@adyen/api-library';
import Razorpay from 'razorpay';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyLines, serve, type RunningServe, type ServeOptions } from '../../src/cli/serve.ts';
import { adyenHttpClient, trustCaCertificate } from '../../src/transports/adyen-sdk.ts';
import { startWebhookReceiver } from '../support/stripe-harness.ts';

const options: ServeOptions = {
  host: '127.0.0.1',
  stripePort: 0,
  adyenPort: 0,
  razorpayPort: 0,
  caDir: join(tmpdir(), 'fakepsp-serve-test-ca'),
  seed: 42,
  clock: 'manual',
  stripeKey: 'sk_test_fakepsp',
};
let running: RunningServe;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  running = await serve({ ...options, stripeWebhookUrl: receiver.url });
});
afterAll(async () => {
  await running.close();
  await receiver.close();
});

const sdk = () => {
  const url = new URL(running.urls.stripe);
  return new Stripe('sk_test_fakepsp', {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
};

describe('fakepsp serve', () => {
  it('prints a ready line and copy-paste exports, including the registered webhook secret', () => {
    const text = stripVTControlCharacters(readyLines(running, options).join('\n'));
    for (const psp of ['stripe', 'adyen', 'razorpay'] as const) {
      expect(text).toMatch(new RegExp(`ready ${psp} +${running.urls[psp].replaceAll('.', '\\.')} `));
    }
    expect(running.urls.adyen).toMatch(/^https:/);
    expect(text).toContain(`export STRIPE_API_BASE=${running.urls.stripe}`);
    expect(text).toMatch(/export STRIPE_WEBHOOK_SECRET=whsec_\w{32}/);
    expect(text).toContain(`export RAZORPAY_KEY_ID=rzp_test_fakepsp`);
    expect(text).toContain(`export NODE_EXTRA_CA_CERTS=${running.caPath}`);
  });

  it('serves the fake Adyen over HTTPS and the fake Razorpay to their official SDKs', async () => {
    trustCaCertificate(await readFile(running.caPath, 'utf8'));
    const client = new Client(
      { apiKey: 'AQE_fakepsp_test_key', environment: EnvironmentEnum.TEST },
      adyenHttpClient(running.urls.adyen),
    );
    const payment = await new CheckoutAPI(client).PaymentsApi.payments({
      amount: { value: 1500, currency: 'EUR' },
      merchantAccount: 'ServeTestECOM',
      reference: 'serve-1',
      returnUrl: 'https://example.test/return',
      paymentMethod: {
        type: Types.checkout.CardDetails.TypeEnum.Scheme,
        encryptedCardNumber: 'test_4111111111111111',
      },
    });
    expect(payment.resultCode).toBe('Authorised');
    expect(payment.pspReference).toMatch(/^[A-Z0-9]{16}$/);
    const razorpay = new Razorpay({ key_id: running.razorpay.keyId, key_secret: running.razorpay.keySecret });
    (razorpay.api as unknown as { rq: { defaults: { baseURL: string } } }).rq.defaults.baseURL =
      running.urls.razorpay;
    const order = await razorpay.orders.create({ amount: 50000, currency: 'INR', receipt: 'serve-1' });
    expect(order).toMatchObject({ entity: 'order', amount: 50000, status: 'created' });
    const health = (await (await fetch(`${running.urls.razorpay}/_fakepsp/health`)).json()) as {
      ok: boolean;
    };
    expect(health.ok).toBe(true);
  });

  it('serves the official SDK and delivers signed webhooks after each response', async () => {
    const stripe = sdk();
    const customer = await stripe.customers.create({ email: 'serve@example.com' });
    const deadline = Array.from({ length: 50 });
    for (const _ of deadline) {
      if (receiver.received.length > 0) break;
      await fetch(`${running.urls.stripe}/_fakepsp/health`);
    }
    const event = stripe.webhooks.constructEvent(
      receiver.received[0]!.body,
      String(receiver.received[0]!.headers['stripe-signature']),
      running.stripeWebhookSecret!,
    );
    expect(event.data.object).toMatchObject({ id: customer.id });
  });

  it('lists its admin routes and actions at GET /_fakepsp/', async () => {
    const index = (await (await fetch(`${running.urls.stripe}/_fakepsp/`)).json()) as {
      psp: string;
      routes: { route: string; what: string }[];
      actions: string[];
    };
    expect(index.psp).toBe('stripe');
    expect(index.routes.map((entry) => entry.route)).toEqual(
      expect.arrayContaining([
        'GET /_fakepsp/health',
        'POST /_fakepsp/clock/advance',
        'POST /_fakepsp/actions/<name>',
      ]),
    );
    expect(index.actions).toEqual(expect.arrayContaining(['open_dispute', 'dashboard_refund']));
    const razorpay = (await (await fetch(`${running.urls.razorpay}/_fakepsp`)).json()) as {
      actions: string[];
    };
    expect(razorpay.actions).toContain('authorize_mandate');
  });

  it('answers the admin API: health, clock advance, journal with its hash', async () => {
    const health = (await (await fetch(`${running.urls.stripe}/_fakepsp/health`)).json()) as {
      ok: boolean;
      seed: number;
    };
    expect(health).toMatchObject({ ok: true, seed: 42 });
    const advanced = await fetch(`${running.urls.stripe}/_fakepsp/clock/advance`, {
      method: 'POST',
      body: '{"by":"1h"}',
    });
    expect(((await advanced.json()) as { now: string }).now).toBe('2026-01-01T01:00:00.000Z');
    const journal = await fetch(`${running.urls.stripe}/_fakepsp/journal`);
    expect(journal.headers.get('x-journal-hash')).toMatch(/^sha256:/);
    expect((await journal.text()).split('\n').filter(Boolean).length).toBeGreaterThan(2);
    const bad = await fetch(`${running.urls.stripe}/_fakepsp/clock/advance`, {
      method: 'POST',
      body: '{"by":"soon"}',
    });
    expect(bad.status).toBe(400);
  });
});

describe('fakepsp serve --tls', () => {
  it('serves HTTPS with a local CA that a client trusting that CA accepts', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { request } = await import('node:https');
    const dir = await mkdtemp(join(tmpdir(), 'fakepsp-tls-'));
    const secure = await serve({ ...options, tlsDir: dir });
    try {
      expect(secure.urls.stripe).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(stripVTControlCharacters(readyLines(secure, options).join('\n'))).toContain(
        `export NODE_EXTRA_CA_CERTS=${secure.caPath}`,
      );
      const ca = await readFile(secure.caPath, 'utf8');
      const status = await new Promise<number>((resolve, reject) => {
        request(`${secure.urls.stripe}/_fakepsp/health`, { ca }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
      const untrusted = await new Promise<string>((resolve) => {
        request(`${secure.urls.stripe}/_fakepsp/health`, (response) => resolve(String(response.statusCode)))
          .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
          .end();
      });
      expect(untrusted).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    } finally {
      await secure.close();
    }
  });
});

describe('admin API: PSP-side actions, faults and reset', () => {
  const admin = (path: string, body?: unknown) =>
    fetch(`${running.urls.stripe}/_fakepsp${path}`, {
      method: 'POST',
      body: body === undefined ? '' : JSON.stringify(body),
    });

  it('opens and loses a dispute, and refunds from the dashboard, as actors outside the SUT', async () => {
    const stripe = sdk();
    const customer = await stripe.customers.create({});
    const intent = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      off_session: true,
    });
    const chargeId = intent.latest_charge as string;
    const opened = await admin('/actions/open_dispute', { charge: chargeId, reason: 'fraudulent' });
    expect(opened.status).toBe(200);
    const dispute = (await opened.json()) as { id: string; status: string };
    expect(dispute.id).toMatch(/^dp_/);
    const lost = (await (await admin('/actions/lose_dispute', { dispute: dispute.id })).json()) as {
      status: string;
    };
    expect(lost.status).toBe('lost');
    const other = await stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      off_session: true,
    });
    const refunded = await admin('/actions/dashboard_refund', { charge: other.latest_charge, amount: 500 });
    expect(((await refunded.json()) as { amount: number }).amount).toBe(500);
    expect((await stripe.charges.retrieve(other.latest_charge as string)).amount_refunded).toBe(500);
  });

  it('answers unknown actions, bad bodies and bad targets with errors, never a 500', async () => {
    expect((await admin('/actions/teleport', {})).status).toBe(404);
    expect((await admin('/actions/open_dispute', { nope: 1 })).status).toBe(400);
    const missing = await admin('/actions/open_dispute', { charge: 'ch_missing' });
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(missing.status).toBeLessThan(500);
  });

  it('loads a fault plan over HTTP and rejects a malformed one naming the field', async () => {
    const bad = await admin('/faults', {
      api: [{ phase: 'sometime', match: {}, effect: { kind: 'reset' } }],
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('api.0.phase');
    const plan = {
      api: [
        {
          phase: 'before',
          match: { method: 'POST', path: '/v1/customers', nth: 1 },
          effect: { kind: 'server_error' },
        },
      ],
    };
    expect((await admin('/faults', plan)).status).toBe(200);
    const error = await sdk()
      .customers.create({})
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 500 });
    expect((await fetch(`${running.urls.stripe}/_fakepsp/faults`, { method: 'DELETE' })).status).toBe(200);
  });

  it('resets to a fresh run with the same seed: same first ids, same webhook secret', async () => {
    const before = await sdk().customers.list({ limit: 100 });
    expect(before.data.length).toBeGreaterThan(0);
    const reset = await admin('/reset');
    expect(reset.status).toBe(200);
    expect((await sdk().customers.list({ limit: 100 })).data).toHaveLength(0);
    const clock = (await (await fetch(`${running.urls.stripe}/_fakepsp/clock`)).json()) as { now: string };
    expect(clock.now).toBe('2026-01-01T00:00:00.000Z');
  });

  it('answers the same once a type moved to its spill file (--spill-after)', async () => {
    const spilling = await serve({ ...options, spillAfter: 2 });
    try {
      const url = new URL(spilling.urls.stripe);
      const stripe = new Stripe('sk_test_fakepsp', {
        host: url.hostname,
        port: Number(url.port),
        protocol: 'http',
      });
      const create = async (n: number) => (await stripe.customers.create({ email: `${n}@example.com` })).id;
      const ids = [await create(0), await create(1), await create(2)];
      await stripe.customers.update(ids[0]!, { name: 'First' });
      await stripe.customers.del(ids[2]!);
      // Past the 256 objects it keeps as they are, the first ones are read back from the file.
      for (let batch = 0; batch < 30; batch++)
        await Promise.all(Array.from({ length: 10 }, (_, n) => create(n)));
      expect(await stripe.customers.retrieve(ids[0]!)).toMatchObject({
        email: '0@example.com',
        name: 'First',
      });
      expect(await stripe.customers.retrieve(ids[2]!)).toMatchObject({ deleted: true });
      const page = await stripe.customers.list({ limit: 2, starting_after: ids[1]! });
      expect(page.data.map((customer) => customer.id)).toEqual([ids[0]]);
      const events = await stripe.events.list({ type: 'customer.updated' });
      expect(events.data.map((event) => (event.data.object as Stripe.Customer).name)).toEqual(['First']);
      // The journal's full chunks are on disk too: every line reads back whole.
      const journal = (await (await fetch(`${spilling.urls.stripe}/_fakepsp/journal`)).text())
        .trimEnd()
        .split('\n');
      const kinds = journal.map((line) => (JSON.parse(line) as { kind: string }).kind);
      // 303 customers made, one changed, one deleted, two read, a page of them, a page of events.
      expect(kinds.filter((kind) => kind === 'request').length).toBe(303 + 1 + 1 + 2 + 1 + 1);
    } finally {
      await spilling.close();
    }
  });
});
