export { ConfigError, loadConfig, type AiConfig, type MascotConfig, type UntrustedFileLimits } from './config.ts';
export { loadOrCreateLocalSecret } from './local-secrets.ts';
