import { HeraldError } from '../../errors/herald-error.js';

/** A broker source's URL without its password, for status and logs; a config error naming `key` when it is not a URL. */
export function shownUrl(url: string, key: string, example: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    throw new HeraldError('HERALD_ERR_CONFIG', `${key}: "${url}" is not a URL (e.g. ${example})`);
  }
}
