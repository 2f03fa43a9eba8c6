/**
 * @jest-environment ./src/datasource/testing/environment.js
 */
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

import { grafanaFetch } from './fetch';

jest.mock('@grafana/runtime', () => ({
  getBackendSrv: () => {
    throw new Error('the tests pass their own backend service');
  },
  isFetchError: (e: unknown) => typeof e === 'object' && e !== null && 'status' in e && 'data' in e,
}));

const encode = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

/** Grafana's backend service reduced to `fetch`, answering with `answer` and recording requests. */
function backend(answer: (request: BackendSrvRequest) => Observable<FetchResponse<unknown>>) {
  const requests: BackendSrvRequest[] = [];
  const srv = {
    fetch: (request: BackendSrvRequest) => {
      requests.push(request);
      return answer(request);
    },
  } as unknown as BackendSrv;
  return { srv, requests };
}

const ok = (status: number, body: ArrayBuffer) =>
  of({
    status,
    statusText: 'OK',
    ok: true,
    data: body,
    headers: new Headers({ 'Content-Length': String(body.byteLength) }),
  } as FetchResponse<unknown>);

describe('grafanaFetch', () => {
  it("sends the request through Grafana's backend service as form text, without error pop-ups", async () => {
    const { srv, requests } = backend(() => ok(200, encode('{"status":"success"}')));
    const response = await grafanaFetch(srv)('api/datasources/proxy/uid/p/api/v1/query_range', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: 'up', step: '30' }),
    });
    expect(await response.text()).toBe('{"status":"success"}');
    expect(requests[0]).toMatchObject({
      url: 'api/datasources/proxy/uid/p/api/v1/query_range',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: 'query=up&step=30',
      responseType: 'arraybuffer',
      showErrorAlert: false,
    });
  });

  it('turns an HTTP error into a response with its status and body, for the caller to word', async () => {
    const { srv } = backend(() =>
      throwError(() => ({ status: 422, statusText: 'Unprocessable', data: { error: 'parse error' } }))
    );
    const response = await grafanaFetch(srv)('x');
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: 'parse error' });
  });

  it('rejects like fetch when there is no HTTP answer at all', async () => {
    const { srv } = backend(() => throwError(() => ({ status: -1, data: { message: 'connection refused' } })));
    await expect(grafanaFetch(srv)('x')).rejects.toThrow(new TypeError('network error: connection refused'));
  });

  it('cancels the request when the signal aborts', async () => {
    let unsubscribed = false;
    const { srv } = backend(() => new Observable(() => () => (unsubscribed = true)));
    const controller = new AbortController();
    const pending = grafanaFetch(srv)('x', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow('aborted');
    expect(unsubscribed).toBe(true);
  });
});
