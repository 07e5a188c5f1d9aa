import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardBody, directAdyen, merchantAccount } from './direct.ts';

// Adyen's OpenAPI specs, read in place when the shared specs sit beside the repo; never copied.
const specs = join(import.meta.dirname, '../../../../shared/specs/adyen');
type Schema = { properties?: Record<string, unknown>; required?: string[] };

function schemasOf(file: string): Record<string, Schema> | null {
  const path = join(specs, file);
  if (!existsSync(path)) return null;
  return (JSON.parse(readFileSync(path, 'utf8')) as { components: { schemas: Record<string, Schema> } })
    .components.schemas;
}

const checkout = schemasOf('CheckoutService-v72.json');
const webhooks = schemasOf('Webhooks-v1.json');

/** Our keys are all in the schema, and the schema's required keys are all in ours. */
function expectShape(schemas: Record<string, Schema> | null, name: string, body: Record<string, unknown>) {
  expect(Object.keys(body).length, `${name} is empty`).toBeGreaterThan(0);
  if (schemas === null) return;
  const schema = schemas[name];
  expect(schema, `the spec has no ${name}`).toBeDefined();
  const known = Object.keys(schema!.properties ?? {});
  expect(
    Object.keys(body).filter((key) => !known.includes(key)),
    `${name}: keys the spec lacks`,
  ).toEqual([]);
  expect(
    (schema!.required ?? []).filter((key) => !(key in body)),
    `${name}: required keys we lack`,
  ).toEqual([]);
}

describe('response bodies match the Checkout v72 and Webhooks v1 specs', () => {
  it('payments, modifications, stored methods, sessions and errors', async () => {
    const adyen = directAdyen();
    const post = async (path: string, body: unknown) => (await adyen.call('POST', `/v72${path}`, body)).body;
    const stored = await post(
      '/payments',
      cardBody({
        shopperReference: 'cust_1',
        storePaymentMethod: true,
        additionalData: { manualCapture: 'true' },
      }),
    );
    expectShape(checkout, 'PaymentResponse', stored);
    expectShape(checkout, 'PaymentResponse', await post('/payments', cardBody({}, 'DECLINED')));
    const psp = String(stored.pspReference);
    const amount = { value: 100, currency: 'EUR' };
    expectShape(
      checkout,
      'PaymentCaptureResponse',
      await post(`/payments/${psp}/captures`, { merchantAccount, amount }),
    );
    expectShape(
      checkout,
      'PaymentRefundResponse',
      await post(`/payments/${psp}/refunds`, { merchantAccount, amount }),
    );
    expectShape(
      checkout,
      'PaymentCancelResponse',
      await post(`/payments/${psp}/cancels`, { merchantAccount }),
    );
    expectShape(
      checkout,
      'PaymentReversalResponse',
      await post(`/payments/${psp}/reversals`, { merchantAccount }),
    );
    const standalone = await post('/cancels', { merchantAccount, paymentReference: 'order-1' });
    expectShape(checkout, 'StandalonePaymentCancelResponse', standalone);
    const methods = await post('/paymentMethods', { merchantAccount, shopperReference: 'cust_1' });
    expectShape(checkout, 'PaymentMethodsResponse', methods);
    expectShape(
      checkout,
      'StoredPaymentMethod',
      (methods.storedPaymentMethods as Record<string, unknown>[])[0]!,
    );
    const listed = await adyen.call(
      'GET',
      `/v72/storedPaymentMethods?shopperReference=cust_1&merchantAccount=${merchantAccount}`,
    );
    expectShape(checkout, 'ListStoredPaymentMethodsResponse', listed.body);
    expectShape(
      checkout,
      'StoredPaymentMethodResource',
      (listed.body.storedPaymentMethods as Record<string, unknown>[])[0]!,
    );
    const session = await post('/sessions', {
      merchantAccount,
      amount,
      reference: 's',
      returnUrl: 'https://x.example',
    });
    expectShape(checkout, 'CreateCheckoutSessionResponse', session);
    expectShape(
      checkout,
      'SessionResultResponse',
      (await adyen.call('GET', `/v72/sessions/${String(session.id)}`)).body,
    );
    expectShape(checkout, 'ServiceError', await post('/payments', cardBody({ reference: '' })));
  });

  it('3D Secure: the waiting payment, its actions, the details answer; amount updates', async () => {
    const adyen = directAdyen();
    const post = async (path: string, body: unknown) => (await adyen.call('POST', `/v72${path}`, body)).body;
    const threeDS = { encryptedCardNumber: 'test_4917610000000000' };
    const redirect = await post(
      '/payments',
      cardBody({ paymentMethod: { ...cardBody().paymentMethod, ...threeDS } }),
    );
    expectShape(checkout, 'PaymentResponse', redirect);
    expect(redirect.resultCode).toBe('RedirectShopper');
    expectShape(checkout, 'CheckoutRedirectAction', redirect.action as Record<string, unknown>);
    const native = await post(
      '/payments',
      cardBody({
        paymentMethod: { ...cardBody().paymentMethod, ...threeDS },
        authenticationData: { threeDSRequestData: { nativeThreeDS: 'preferred' } },
      }),
    );
    expect(native.resultCode).toBe('ChallengeShopper');
    expectShape(checkout, 'CheckoutThreeDS2Action', native.action as Record<string, unknown>);
    const completed = adyen.fake.actions.complete_3ds!({ pspReference: redirect.pspReference }).body as {
      redirectResult: string;
    };
    const details = await post('/payments/details', {
      details: { redirectResult: completed.redirectResult },
    });
    expectShape(checkout, 'PaymentDetailsResponse', details);
    const manual = await post('/payments', cardBody({ additionalData: { manualCapture: 'true' } }));
    const update = await post(`/payments/${String(manual.pspReference)}/amountUpdates`, {
      merchantAccount,
      amount: { value: 1500, currency: 'EUR' },
      reference: 'more',
    });
    expectShape(checkout, 'PaymentAmountUpdateResponse', update);
  });

  it('notification items, for every event code the fake sends', async () => {
    const adyen = directAdyen();
    const payment = (await adyen.call('POST', '/v72/payments', cardBody())).body;
    const psp = String(payment.pspReference);
    await adyen.call('POST', `/v72/payments/${psp}/refunds`, {
      merchantAccount,
      amount: { value: 5, currency: 'EUR' },
    });
    adyen.fake.actions.chargeback!({ pspReference: psp });
    adyen.fake.actions.chargeback_reversed!({ pspReference: psp });
    adyen.fake.actions.capture_failed!({ pspReference: psp });
    const manual = (
      await adyen.call('POST', '/v72/payments', cardBody({ additionalData: { manualCapture: 'true' } }))
    ).body;
    await adyen.call('POST', `/v72/payments/${String(manual.pspReference)}/amountUpdates`, {
      merchantAccount,
      amount: { value: 1200, currency: 'EUR' },
    });
    const events = adyen.fake.dump().events;
    expect(new Set(events.map((event) => event.eventCode)).size).toBeGreaterThanOrEqual(6);
    expect(events.map((event) => event.eventCode)).toContain('AUTHORISATION_ADJUSTMENT');
    const allowed = webhooks === null ? null : { NotificationRequestItem: unionOfItemSchemas(webhooks) };
    for (const event of events) {
      expectShape(allowed, 'NotificationRequestItem', event.item as Record<string, unknown>);
      if (event.eventCode === 'AUTHORISATION')
        expectShape(webhooks, 'AuthorisationNotificationRequestItem', event.item as Record<string, unknown>);
    }
  });
});

// The generic item has no `operations`; the per-event items do: allow what any of them allows.
function unionOfItemSchemas(schemas: Record<string, Schema>): Schema {
  const properties: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas))
    if (name.endsWith('NotificationRequestItem')) Object.assign(properties, schema.properties);
  return { properties, required: schemas.NotificationRequestItem?.required ?? [] };
}
