export { MAX_OPERATION_NAMES, createMetrics, type Metrics, type Transport } from './metrics.ts';
export { metricsRoute } from './metrics-route.ts';
