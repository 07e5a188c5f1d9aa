import express from 'express';
import { runBilling } from './billing.js';
import { createCustomer, recordUsage } from './customers.js';
import { pollStripe } from './poll.js';
import { InputError, currentState, newState, replaceState } from './state.js';
import { createStripeClient, refundCharge } from './stripe-payments.js';

/**
 * The fakepsp SUT HTTP binding v1: a test-only controller through which the harness plays the
 * customers, the PSP and the clock. Mount it under `/fakepsp` in test builds only.
 * @param {{ webhookUrl: () => string }} options where this server receives Stripe webhooks
 */
export function bindingRouter({ webhookUrl }) {
  const router = express.Router();
  router.use(oneRunAtATime);
  router.use(express.json({ type: () => true }));

  router.post('/setup', (request, response) => {
    const body = request.body ?? {};
    const stripe = body.psps?.stripe ?? {};
    const nowMs = instant(body, 'now');
    replaceState(
      newState({
        runId: text(body, 'runId'),
        nowMs,
        stripe: createStripeClient(
          text(stripe, 'apiBase', 'psps.stripe.'),
          text(stripe, 'secretKey', 'psps.stripe.'),
        ),
        webhookSecret: text(stripe, 'webhookSecret', 'psps.stripe.'),
      }),
    );
    // Whatever `pattern` the run is for: the harness skips the patterns not declared here. No
    // `concurrentRuns` either: this service keeps one state, so runs come one at a time.
    response.json({ webhooks: { stripe: webhookUrl() }, patterns: ['byo-stripe'], psps: ['stripe'] });
  });

  router.post('/customers', async (request, response) => {
    const body = request.body;
    if (body?.psp !== 'stripe') throw new InputError('psp: only stripe is supported');
    const customer = {
      customerId: text(body, 'customerId'),
      email: text(body, 'email'),
      name: text(body, 'name'),
      currency: field(body, 'currency', (value) => /^[a-z]{3}$/.test(value), 'a lowercase ISO 4217 code'),
      paymentMethod: text(body, 'paymentMethod'),
      plan: plan(body.plan),
    };
    response.json(await createCustomer(running(), customer));
  });

  router.post('/usage', (request, response) => {
    const body = request.body;
    recordUsage(running(), {
      customerId: text(body, 'customerId'),
      meter: text(body, 'meter'),
      quantity: count(body, 'quantity'),
      eventId: text(body, 'eventId'),
      atMs: instant(body, 'at'),
    });
    response.json({});
  });

  router.post('/topups', () => {
    throw new InputError('top-ups are not supported: byo-stripe bills usage in arrears, with no wallet');
  });

  router.post('/refunds', async (request, response) => {
    const body = request.body;
    await refundCharge(running(), {
      customerId: text(body, 'customerId'),
      ref: text(body, 'ref'),
      amount: count(body, 'amount', 1),
      requestId: text(body, 'requestId'),
    });
    response.json({});
  });

  router.post('/clock', async (request, response) => {
    const state = running();
    const nowMs = instant(request.body, 'now');
    if (nowMs < state.nowMs) throw new InputError(`now: ${request.body.now} is before the service's now`);
    state.nowMs = nowMs;
    await runBilling(state);
    await poll(state);
    response.json({});
  });

  router.post('/settle', async (_request, response) => {
    const state = running();
    await drain(state);
    await poll(state);
    await drain(state);
    response.json({});
  });

  router.get('/ledger', (_request, response) => {
    response.json(running().ledger.export());
  });

  router.use(answerError);
  return router;
}

/** Refuses (409, and says so on stderr) any call of a run other than the one set up. */
function oneRunAtATime(request, response, next) {
  const theirs = request.get('fakepsp-run-id');
  const current = currentState()?.runId;
  if (request.path === '/setup' || theirs === undefined || current === undefined || theirs === current) {
    return next();
  }
  const error = `run ${theirs} interleaved with run ${current}: this service keeps one state`;
  console.error(error);
  response.status(409).json({ error });
}

function running() {
  const state = currentState();
  if (state === undefined) throw new InputError('no run: POST /fakepsp/setup first');
  return state;
}

/** Waits until no webhook handling is in flight. */
async function drain(state) {
  while (state.inFlight.size > 0) await Promise.allSettled([...state.inFlight]);
}

/** A failed poll (say, Stripe unreachable) is not a failed tick: the next tick polls again. */
async function poll(state) {
  await pollStripe(state).catch((error) => console.error(`poll: ${error.message}`));
}

/** `{error}` with 400 for input we or Stripe refuse, 502 when Stripe fails us, 500 for our bugs. */
function answerError(error, request, response, _next) {
  const ours = Number.isInteger(error.status) && error.status >= 400 && error.status < 500;
  const refusedByStripe = error.type === 'StripeInvalidRequestError' || error.type === 'StripeCardError';
  const status = ours ? error.status : refusedByStripe ? 400 : error.type?.startsWith('Stripe') ? 502 : 500;
  if (status === 500) console.error(error.stack);
  else if (status > 500) console.error(`${request.method} ${request.originalUrl}: ${error.message}`);
  response.status(status).json({ error: error.message });
}

function field(body, name, valid, what, prefix = '') {
  const value = body?.[name];
  if (!valid(value)) throw new InputError(`${prefix}${name}: must be ${what}`);
  return value;
}

const text = (body, name, prefix) =>
  field(body, name, (value) => typeof value === 'string' && value !== '', 'a non-empty string', prefix);

const count = (body, name, min = 0, prefix = '') =>
  field(body, name, (value) => Number.isSafeInteger(value) && value >= min, `an integer ≥ ${min}`, prefix);

const instant = (body, name) =>
  Date.parse(
    field(
      body,
      name,
      (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
      'an ISO 8601 instant',
    ),
  );

const intervals = ['day', 'week', 'month', 'year'];

function plan(body) {
  const prices = field(body, 'unitPricesMinor', (value) => value instanceof Object, 'an object', 'plan.');
  for (const meter of Object.keys(prices)) count(prices, meter, 0, 'plan.unitPricesMinor.');
  const interval = field(
    body,
    'interval',
    (value) => intervals.includes(value),
    intervals.join(' | '),
    'plan.',
  );
  return { baseFeeMinor: count(body, 'baseFeeMinor', 0, 'plan.'), unitPricesMinor: prices, interval };
}
