import { balanceOf } from './balances.ts';
import { recordModification } from './modification-record.ts';
import type { AdyenRuntime } from './runtime.ts';
import type { AdyenPayment } from './store.ts';
import { notify } from './webhooks.ts';

const hourMs = 3_600_000;

/**
 * `captureDelayHours`: Adyen captures the authorisation that many hours later, unless the
 * merchant captured or cancelled it first, and reports it with a CAPTURE notification.
 */
export function scheduleDelayedCapture(runtime: AdyenRuntime, payment: AdyenPayment): void {
  runtime.sim.clock.schedule({
    delayMs: (payment.captureDelayHours ?? 0) * hourMs,
    label: `adyen: delayed capture of ${payment.pspReference}`,
    run: () => runtime.store.unit.run(() => runDelayedCapture(runtime, payment.pspReference)),
  });
}

function runDelayedCapture(runtime: AdyenRuntime, pspReference: string): void {
  const payment = runtime.store.payments.get(pspReference);
  if (payment === undefined || payment.status !== 'authorised') return;
  const balance = balanceOf(runtime.store, payment);
  // A merchant who captured (any part) or cancelled took the payment out of Adyen's hands.
  if (balance.capturable !== payment.amount.value) return;
  runtime.sim.journal.append({
    kind: 'action',
    psp: 'adyen',
    data: { action: 'delayed capture', pspReference },
  });
  recordModification(
    runtime,
    {
      pspReference: runtime.ids.adyenPspReference(),
      payment,
      kind: 'capture',
      amount: payment.amount,
      reference: null,
      status: 'succeeded',
      reason: '',
      origin: 'automatic',
      requestId: null,
      idempotencyKey: null,
    },
    (draft, objectId) => notify(runtime, draft, objectId, { requestId: null, idempotencyKey: null }),
  );
}
