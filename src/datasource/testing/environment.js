/**
 * jsdom (the ui tests' environment) with what a browser has and jsdom lacks: fetch's Response,
 * Headers and Request, and crypto.subtle, taken from Node. For tests of code that reads HTTP
 * responses and hashes downloads. Use with `@jest-environment ./src/datasource/testing/environment.js`.
 */
const { TestEnvironment } = require('jest-environment-jsdom');

class BrowserLikeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    Object.assign(this.global, {
      Response,
      Headers,
      Request,
      ReadableStream,
      AbortController,
      AbortSignal,
      DOMException,
    });
    Object.defineProperty(this.global, 'crypto', { value: globalThis.crypto, configurable: true });
  }
}

module.exports = BrowserLikeEnvironment;
