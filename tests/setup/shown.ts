import { decode } from "turbo-stream";
import { english, type Text } from "../../app/i18n";

function isText(value: unknown): value is Text {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return typeof (value as Text).key === "string" && keys.every((k) => k === "key" || k === "params");
}

function rendered(value: unknown): unknown {
  if (isText(value)) return english.text(value, `[missing message ${value.key}]`);
  if (Array.isArray(value)) return value.map(rendered);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, rendered(inner)]));
  return value;
}

/**
 * What a merchant reads in a Remix data response (`.data`, turbo-stream): the decoded data with
 * every message (a Text: key and parameters) written out in English, as JSON.
 */
export async function shownText(raw: string): Promise<string> {
  try {
    const stream = new Response(raw).body!;
    const { value, done } = await decode(stream);
    await done;
    return JSON.stringify(rendered(value));
  } catch {
    // Not a data response (an error page, a redirect): the raw text is what was said.
    return raw;
  }
}
