export { ConfigError, loadConfig, type AiConfig, type MascotConfig, type UntrustedFileLimits } from './config.ts';
export { loadOrCreateLocalSecret } from './local-secrets.ts';
export type { StorageConfig } from './storage-config.ts';
export type { TelemetryConfig } from './telemetry-config.ts';
