import { describe, expect, it } from 'vitest';
import { razorpayError, type RazorpayErrorKind } from '../../../src/fakes/razorpay/errors.ts';

describe('razorpayError: the one place deciding status and envelope', () => {
  it('renders every field, "NA" where Razorpay has nothing to say', () => {
    expect(razorpayError({ kind: 'id_not_found' })).toEqual({
      status: 400,
      body: {
        error: {
          code: 'BAD_REQUEST_ERROR',
          description: 'The id provided does not exist',
          field: null,
          source: 'NA',
          step: 'NA',
          reason: 'NA',
          metadata: {},
        },
      },
    });
  });

  it('payment-creation refusals name business / payment_initiation / input_validation_failed', () => {
    expect(razorpayError({ kind: 'token_max_amount_exceeded' }).body.error).toMatchObject({
      description: 'Amount exceeds maximum amount allowed',
      field: 'amount',
      source: 'business',
      step: 'payment_initiation',
      reason: 'input_validation_failed',
    });
    expect(razorpayError({ kind: 'id_not_found', initiation: true }).body.error.source).toBe('business');
  });

  it('statuses: 401 for auth, 409 in flight, 429 throttled, 500 server error, else 400', () => {
    const statuses = (['api_key_missing', 'authentication_failed', 'api_key_invalid'] as const).map(
      (kind) => razorpayError({ kind }).status,
    );
    expect(statuses).toEqual([401, 401, 401]);
    expect(razorpayError({ kind: 'idempotency_in_progress' }).status).toBe(409);
    expect(razorpayError({ kind: 'rate_limited' }).status).toBe(429);
    expect(razorpayError({ kind: 'server_error' })).toMatchObject({
      status: 500,
      body: { error: { code: 'SERVER_ERROR' } },
    });
    const kinds: RazorpayErrorKind[] = [
      { kind: 'url_not_found', method: 'GET', path: '/v1/nothing' },
      { kind: 'body_malformed' },
      { kind: 'customer_exists' },
      { kind: 'idempotency_mismatch' },
    ];
    for (const kind of kinds) expect(razorpayError(kind).status).toBe(400);
  });

  it('validation messages use Laravel wording and name the field', () => {
    expect(razorpayError({ kind: 'field_required', field: 'customer_id' }).body.error).toMatchObject({
      description: 'The customer id field is required.',
      field: 'customer_id',
    });
    expect(
      razorpayError({ kind: 'field_too_long', field: 'receipt', lengthMax: 40 }).body.error.description,
    ).toBe('The receipt may not be greater than 40 characters.');
    expect(razorpayError({ kind: 'amount_too_small', currency: 'INR' }).body.error.description).toBe(
      'The amount must be at least INR 1.00',
    );
  });

  it('payment errors carry the payment in metadata', () => {
    expect(razorpayError({ kind: 'payment_already_captured', paymentId: 'pay_1' }).body.error).toMatchObject({
      description: 'This payment has already been captured.',
      metadata: { payment_id: 'pay_1' },
    });
  });
});
