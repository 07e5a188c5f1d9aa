import Razorpay from 'razorpay';
import type { PspConnections } from '../../sut/contract.ts';

/** The Razorpay SDK and the webhook secret the harness registered. */
export interface RazorpayConnection {
  readonly api: Razorpay;
  readonly keySecret: string;
  readonly webhookSecret: string;
}

// The SDK's axios instance: it has no host option, so its base URL is the one line to change.
interface AxiosLike {
  readonly defaults: { baseURL?: string };
  readonly interceptors: {
    readonly request: {
      use(change: (config: AxiosRequest) => AxiosRequest): unknown;
    };
  };
}
interface AxiosRequest {
  url?: string;
  data?: unknown;
  headers: { set?(name: string, value: string): unknown } & Record<string, unknown>;
}

/**
 * The official Razorpay SDK pointed at `apiBase`. Refunds carry `X-Refund-Idempotency`, derived
 * from the service's own request id (the SDK cannot send per-request headers, so an axios
 * interceptor reads it from the refund's notes).
 */
export function createRazorpayConnection(
  connection: NonNullable<PspConnections['razorpay']>,
): RazorpayConnection {
  const api = new Razorpay({ key_id: connection.keyId, key_secret: connection.keySecret });
  const rq = (api.api as unknown as { readonly rq: AxiosLike }).rq;
  rq.defaults.baseURL = connection.apiBase;
  rq.interceptors.request.use((config) => {
    const requestId = refundRequestIdOf(config);
    if (requestId !== undefined) config.headers['X-Refund-Idempotency'] = `refund-request-${requestId}`;
    return config;
  });
  return { api, keySecret: connection.keySecret, webhookSecret: connection.webhookSecret };
}

function refundRequestIdOf(config: AxiosRequest): string | undefined {
  if (!/\/payments\/[^/]+\/refund$/.test(config.url ?? '')) return undefined;
  const body = typeof config.data === 'string' ? (JSON.parse(config.data) as unknown) : config.data;
  const notes = (body as { notes?: Record<string, unknown> } | undefined)?.notes;
  const requestId = notes?.request_id;
  return typeof requestId === 'string' ? requestId.replace(/[^A-Za-z0-9_-]/g, '-') : undefined;
}
