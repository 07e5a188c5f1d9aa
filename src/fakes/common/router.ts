/** A route: an HTTP method and a path pattern with `:name` segments. */
export interface Route<H> {
  readonly method: string;
  readonly pattern: string;
  readonly handler: H;
}

/** A matched route with its path parameters. */
export interface RouteMatch<H> {
  readonly route: Route<H>;
  readonly params: Readonly<Record<string, string>>;
}

interface CompiledRoute<H> {
  readonly route: Route<H>;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

/**
 * An explicit route table, reviewable in a diff (no routes derived from class names).
 *
 * @example
 * const router = new Router([{ method: 'GET', pattern: '/v1/customers/:id', handler: retrieve }]);
 * router.match('GET', '/v1/customers/cus_1')?.params.id; // 'cus_1'
 */
export class Router<H> {
  readonly #routes: readonly CompiledRoute<H>[];

  constructor(routes: readonly Route<H>[]) {
    this.#routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      return { route, regex: new RegExp(`^${source}/?$`), names };
    });
  }

  /** The first route matching method and path, or `undefined` (also for a path that is not valid percent-encoding). */
  match(method: string, path: string): RouteMatch<H> | undefined {
    if (!decodable(path)) return undefined;
    for (const compiled of this.#routes) {
      if (compiled.route.method !== method) continue;
      const found = compiled.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      compiled.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1]!);
      });
      return { route: compiled.route, params };
    }
    return undefined;
  }

  /** Whether any route matches the path under some method (for 404 vs 405-like answers). */
  hasPath(path: string): boolean {
    return decodable(path) && this.#routes.some((compiled) => compiled.regex.test(path));
  }
}

// A path that is not valid percent-encoding names nothing a PSP has.
function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
