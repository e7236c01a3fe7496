declare module '@koa/router' {
  import type { Middleware } from 'koa';

  export default class Router {
    constructor(opts?: { prefix?: string });
    get(path: string, ...middleware: Middleware[]): this;
    post(path: string, ...middleware: Middleware[]): this;
    routes(): Middleware;
    allowedMethods(): Middleware;
  }
}
