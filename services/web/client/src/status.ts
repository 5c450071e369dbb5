import { useEffect, useState } from 'react';
import { request, type PaymentHealth, type WebClientConfig } from './api';

/** Payment's state as booking's health reports it (through the web server); UNKNOWN if it cannot tell. */
export function usePaymentHealth(refresh = 0): PaymentHealth | undefined {
  const [health, setHealth] = useState<PaymentHealth | undefined>();
  useEffect(() => {
    const controller = new AbortController();
    request<{ payment: PaymentHealth }>('GET', '/web-api/status', {
      signal: controller.signal,
    }).then(
      (answer) => setHealth(answer.payment),
      () => setHealth('UNKNOWN'),
    );
    return () => controller.abort();
  }, [refresh]);
  return health;
}

let configPromise: Promise<WebClientConfig> | undefined;

/** What this deployment offers (the support relay or only an address); asked once per page load. */
export function useWebConfig(): WebClientConfig | undefined {
  const [config, setConfig] = useState<WebClientConfig | undefined>();
  useEffect(() => {
    configPromise ??= request<WebClientConfig>('GET', '/web-api/config').catch(() => {
      configPromise = undefined;
      return { supportRelay: false, supportEmail: 'support@tourkit.dev' };
    });
    let live = true;
    void configPromise.then((value) => live && setConfig(value));
    return () => {
      live = false;
    };
  }, []);
  return config;
}
