/**
 * One Dovecot exporter event, whichever format it came in:
 *   json:     {"event":…,"hostname":…,"start_time":…,"end_time":…,"categories":[…],"fields":{…}}
 *   tab-text: event:<name>\thostname:<h>\tstart_time:<t>\tend_time:<t>\tcategory:<c>…\tfield:<k>=<v>…
 * Every key is optional in both (exporter_include), except that an unnamed event is never exported.
 */
export interface DovecotEnvelope {
  readonly name: string;
  readonly hostname: string | undefined;
  /** As sent: RFC 3339 text or Unix seconds (number in json, text in tab-text). */
  readonly startTime: unknown;
  readonly endTime: unknown;
  readonly categories: readonly string[];
  /**
   * json: JSON values. tab-text: text with one level of Dovecot's tab escaping
   * removed, so the items of a string list are still joined by a tab.
   */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly fromText: boolean;
}

export type EnvelopeParse =
  | { readonly ok: true; readonly envelope: DovecotEnvelope }
  | { readonly ok: false; readonly reason: 'malformed' | 'not_an_event'; readonly message: string; readonly offset?: number };
