/**
 * What a promise rejected with, or undefined when it resolved: SDKs reject with their own errors
 * (Razorpay's with a plain `{statusCode, error}`), so assertions read the value as it came.
 */
export const caught = (promise: Promise<unknown>): Promise<any> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
