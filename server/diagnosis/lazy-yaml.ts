import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** YAML.parse, with the yaml module loaded on first use: most CLI runs never need it, and
 * loading it costs ~40 ms of start-up. */
export function parseYaml(text: string): unknown {
  return (require('yaml') as typeof import('yaml')).parse(text);
}
