import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

export const APP_TOML = path.resolve(import.meta.dirname, "../../shopify.app.toml");

/** The access scopes declared in shopify.app.toml, the single source of the app's scopes. */
export function declaredScopes(file = APP_TOML): string {
  const config = parse(fs.readFileSync(file, "utf8")) as { access_scopes?: { scopes?: string } };
  const scopes = config.access_scopes?.scopes;
  if (!scopes) throw new Error(`${file} declares no [access_scopes] scopes`);
  return scopes;
}
