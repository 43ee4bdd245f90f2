import { CONFIG_KEYS, type ConfigKey } from './config-keys.ts';
import { formatWithUnit } from './parse-config-value.ts';

function typeOf(key: ConfigKey): string {
  const describe: Record<ConfigKey['kind'], () => string> = {
    string: () => (key.hint === undefined ? 'string' : `string (${key.hint.replace(/^must be /, '')})`),
    integer: () => {
      const range = `${formatWithUnit(key.minimum ?? 0, key.unit)}–${formatWithUnit(key.maximum ?? 0, key.unit)}`;
      return key.unit === 'ms' ? `duration ${range}` : key.unit === 'bytes' ? `size ${range}` : `integer ${range}`;
    },
    boolean: () => 'true \\| false',
    enum: () => (key.values ?? []).join(' \\| '),
  };
  return describe[key.kind]();
}

function defaultOf(key: ConfigKey): string {
  if (key.default === undefined) return key.optional ? '(unset)' : '';
  return `\`${typeof key.default === 'number' ? formatWithUnit(key.default, key.unit) : String(key.default)}\``;
}

/**
 * The configuration reference as a Markdown table, generated from the schema so the docs cannot
 * drift: env var, JSON file key, type, default, meaning. Precedence: defaults < file < env < flags.
 */
export function renderConfigTable(): string {
  const header = '| Env var | File key | Type | Default | Meaning |\n|---|---|---|---|---|';
  const rows = CONFIG_KEYS.map((k) => {
    const meaning = `${k.description.replace(/\|/g, '\\|')}${k.secret === true ? ' *(secret)*' : ''}`;
    return `| \`${k.env}\` | \`${k.path}\` | ${typeOf(k)} | ${defaultOf(k)} | ${meaning} |`;
  });
  const notes = [
    'Sources, lowest priority first: defaults < JSON file (`--config FILE` or `LOGSIFT_CONFIG`) < `LOGSIFT_*` env vars < command-line flags.',
    'Empty env vars count as unset. Durations accept `500ms`, `30s`, `5m`, `24h`, `7d` or milliseconds; sizes accept `512kb`, `16mb` or bytes.',
  ];
  return [header, ...rows, '', ...notes].join('\n');
}
