/** Reported by `--version`, `/healthz` and the OpenAPI document. Keep in step with package.json. */
export const VERSION = '0.1.0';
