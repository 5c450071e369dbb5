import { HttpProblem } from '@tourkit/kit';

/**
 * One call to the platform (the gateway, booking's /health, notification's internal API) with a
 * deadline; an unreachable service is a 502 problem, any answer is returned as status and body
 * (a non-JSON body becomes a title, so a proxy's HTML error page still says something).
 */
export async function fetchJson(
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new HttpProblem(502, 'upstream-unavailable', 'Upstream unavailable', {
      detail: 'The platform is unavailable.',
      cause: error,
    });
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = { title: text.slice(0, 200) };
  }
  return { status: response.status, body };
}
