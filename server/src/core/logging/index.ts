export { createLogger, createServerLogger, type Logger, type LoggerOptions } from './logger.ts';
