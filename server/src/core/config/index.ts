export { ConfigError, loadConfig, type AiConfig, type MascotConfig } from './config.ts';
export { loadOrCreateLocalSecret } from './local-secrets.ts';
