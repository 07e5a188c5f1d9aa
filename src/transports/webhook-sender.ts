import type { AttemptOutcome, WebhookSender } from '../fakes/common/webhook-dispatcher.ts';

/** How long one webhook attempt may take before it counts as failed (PSPs time out too). */
export const attemptTimeoutMs = 10_000;

/** Sends webhook attempts with `fetch`, as a PSP's servers would. */
export const fetchWebhookSender: WebhookSender = async (request): Promise<AttemptOutcome> => {
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(attemptTimeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
};
