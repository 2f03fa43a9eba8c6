/**
 * `fetch` on top of Grafana's backend service, so that the Prometheus client and the model loader
 * (written against plain `fetch`) go through Grafana: its session, org header, data proxy and plugin
 * routes, and its query inspector. HTTP errors become ordinary responses (the caller reads the
 * status and body and words the message); only a lost connection rejects, as `fetch` does.
 */
import { getBackendSrv, isFetchError, type BackendSrv } from '@grafana/runtime';

const NULL_BODY = new Set([101, 204, 205, 304]);

function abortError(): Error {
  return new DOMException('The request was aborted', 'AbortError');
}

/** Bytes of whatever Grafana parsed an error body into (text, JSON, or the raw buffer). */
function errorBody(data: unknown): BodyInit | null {
  if (data === undefined || data === null) {
    return null;
  }
  if (data instanceof ArrayBuffer || typeof data === 'string') {
    return data;
  }
  return JSON.stringify(data);
}

function requestBody(body: RequestInit['body']): string | ArrayBuffer | Blob | undefined {
  if (body === undefined || body === null) {
    return undefined;
  }
  if (typeof body === 'string' || body instanceof ArrayBuffer || body instanceof Blob) {
    return body;
  }
  // URLSearchParams (the Prometheus client's form posts): sent as the string it stands for.
  return String(body);
}

export function grafanaFetch(backendSrv: BackendSrv = getBackendSrv()): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      let done = false;
      const onAbort = () => {
        subscription.unsubscribe();
        reject(abortError());
      };
      const settle = () => {
        done = true;
        signal?.removeEventListener('abort', onAbort);
      };
      const subscription = backendSrv
        .fetch<ArrayBuffer>({
          url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
          method: init.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init.headers).entries()),
          data: requestBody(init.body),
          responseType: 'arraybuffer',
          showErrorAlert: false,
          showSuccessAlert: false,
        })
        .subscribe({
          next: (response) => {
            settle();
            resolve(
              new Response(NULL_BODY.has(response.status) ? null : response.data, {
                status: response.status,
                statusText: response.statusText,
                headers: response.headers,
              })
            );
          },
          error: (err: unknown) => {
            settle();
            if (isFetchError(err) && err.status >= 200 && err.status <= 599) {
              resolve(
                new Response(NULL_BODY.has(err.status) ? null : errorBody(err.data), {
                  status: err.status,
                  statusText: err.statusText ?? '',
                })
              );
            } else {
              const message =
                (err as { message?: string; data?: { message?: string } })?.data?.message ?? (err as Error)?.message;
              reject(new TypeError(message ? `network error: ${message}` : 'network error'));
            }
          },
        });
      if (!done) {
        signal?.addEventListener('abort', onAbort, { once: true });
      }
    });
}
