import { renderConfigTable } from './render-config-table.ts';

/**
 * Regenerates the configuration reference:
 * `node --import tsx src/config/print-config-table.ts > src/config/CONFIGURATION.md`
 */
process.stdout.write(`# logsift configuration\n\n<!-- generated from src/config/config-schema.ts by src/config/print-config-table.ts; do not edit -->\n\n${renderConfigTable()}\n`);
