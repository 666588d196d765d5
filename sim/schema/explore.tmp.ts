import fs from "node:fs"; import zlib from "node:zlib";
import { buildClientSchema, isObjectType, isInputObjectType, isInterfaceType } from "graphql";
const s = buildClientSchema(JSON.parse(zlib.gunzipSync(fs.readFileSync("../shared/shopify/admin_schema_2025-01.json.gz")).toString()).data);
for (const name of process.argv.slice(2)) {
  const t = s.getType(name) as any;
  if (!t) { console.log(name, "MISSING"); continue; }
  const fields = t.getFields ? t.getFields() : null;
  console.log(`== ${name} (${t.constructor.name})`);
  if (fields) for (const f of Object.values(fields) as any[]) console.log(`  ${f.name}${f.args?.length ? "(" + f.args.map((a: any) => a.name + ":" + a.type).join(", ") + ")" : ""}: ${f.type}`);
  else if (t.getValues) console.log("  " + t.getValues().map((v: any) => v.name).join(" "));
}
