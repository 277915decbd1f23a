import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one app instance (served at GET /metrics). */
export interface AppMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  httpDuration: Histogram<'route' | 'method'>;
  botActivities: Counter<'type'>;
  activitiesRefused: Counter<'reason'>;
}

export function createMetrics(): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'brevet' });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'brevet_http_requests_total',
      help: 'HTTP requests by route, method and status code',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'brevet_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    botActivities: new Counter({
      name: 'brevet_bot_activities_total',
      help: 'Authenticated Bot Framework activities, by activity type (other: any unlisted type)',
      labelNames: ['type'],
      registers: [registry],
    }),
    activitiesRefused: new Counter({
      name: 'brevet_activities_refused_total',
      help: 'Requests to /api/messages refused (body, malformed, service_url, channel, unauthenticated)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
