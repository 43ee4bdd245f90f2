/** The pure log-template mining engine: no I/O, no Node built-ins (runs in a browser). */
export { BKLOG_DELIMITER, BKLOG_PREDEFINED_VARIABLES, BKLOG_PRESET, CONFIG_PRESETS, DEFAULT_CONFIG, levelName, parseConfig } from './config.ts';
export type { ConfigPresetName, PatternConfig } from './config.ts';
export { EngineError, isEngineError } from './engine-error.ts';
export type { EngineErrorCode } from './engine-error.ts';
export { HASH_PLACEHOLDER, placeholderStyle } from './render.ts';
export type { ExtractedVariable, PlaceholderStyle } from './render.ts';
export { signatureOf } from './signature.ts';
export { TemplateMiner } from './template-miner.ts';
export type { LearnResult, TemplateInfo } from './template-miner.ts';
export { fromSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, toSnapshot } from './snapshot.ts';
export type { ModelSnapshot } from './snapshot.ts';
