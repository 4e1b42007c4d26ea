export { ConfigError, loadConfig, type MascotConfig } from './config.ts';
export { loadOrCreateLocalSecret } from './local-secrets.ts';
