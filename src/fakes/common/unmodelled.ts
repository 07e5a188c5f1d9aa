/**
 * What a fake adds to the PSP's own "no such URL" answer: the gap may be fakepsp's (an endpoint
 * it does not model yet), not the caller's, and a user should not have to guess which.
 */
export function unmodelled(method: string, path: string, psp: string): string {
  return `(fakepsp: ${method} ${path} is not modelled by fakepsp, or is not a ${psp} endpoint)`;
}
