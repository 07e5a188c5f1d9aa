import type { Route } from '../../common/router.ts';
import type { StripeHandler } from '../context.ts';

export const meterEventsV2Routes: readonly Route<StripeHandler>[] = [];
