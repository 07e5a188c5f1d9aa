/**
 * Loopback URLs carry ephemeral ports (the fakes' servers, a billing service's webhook
 * endpoint), which differ from one process to the next. The journal records them under stable
 * names so the same seed gives the same hash wherever the run's sockets landed.
 */

// Plain or percent-encoded (a form body): `http://127.0.0.1:4312`, `http%3A%2F%2Flocalhost%3A4312`.
const loopbackUrl =
  /(https?)(:\/\/|%3A%2F%2F)(?:127\.0\.0\.1|localhost|\[::1\]|%5B%3A%3A1%5D)(?::|%3A)(\d{1,5})/gi;

const mentionsLoopback = /127\.0\.0\.1|localhost|\[::1\]|%5B%3A%3A1%5D/i;

/**
 * Rewrites every loopback URL's origin in a text: a port with a name becomes that host
 * (`http://stripe.fakepsp`), any other port the billing service's (`http://sut`).
 *
 * @example
 * normaliseLoopbackUrls('url=http%3A%2F%2F127.0.0.1%3A4312%2Fhooks', new Map()); // 'url=http%3A%2F%2Fsut%2Fhooks'
 */
export function normaliseLoopbackUrls(text: string, named: ReadonlyMap<number, string>): string {
  if (!mentionsLoopback.test(text)) return text;
  return text.replace(loopbackUrl, (_match, scheme: string, separator: string, port: string) => {
    return `${scheme}${separator}${named.get(Number(port)) ?? 'sut'}`;
  });
}
