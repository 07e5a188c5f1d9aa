/**
 * A PSP's error thrown from deep inside a handler's validation; the pipeline catches and renders
 * it. `commits`: what the request wrote stands despite the error (a declined attempt).
 */
export class PspFailure<Kind extends { readonly kind: string }> extends Error {
  readonly error: Kind;
  readonly commits: boolean;
  constructor(error: Kind, options: { readonly commits?: boolean } = {}) {
    super(error.kind);
    this.error = error;
    this.commits = options.commits === true;
  }
}
