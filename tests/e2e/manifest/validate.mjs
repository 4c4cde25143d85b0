// Validates a Teams app manifest against the official JSON schema of its own manifestVersion, as shipped by
// @microsoft/app-manifest (pinned in ../package.json), plus the two rules Microsoft documents but the schema cannot say.
// Usage: node validate.mjs <manifest.json>
// Prints one JSON object ({"valid": true|false, "manifestVersion", "errors": [...]}) and exits 0 when valid, 1 otherwise.
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const schemasRoot = fileURLToPath(
  new URL("../node_modules/@microsoft/app-manifest/build/json-schemas/teams/", import.meta.url));

export function schemaFor(manifestVersion) {
  const file = path.join(schemasRoot, `v${manifestVersion}`, "MicrosoftTeams.schema.json");
  if (!existsSync(file)) {
    return null;
  }

  const schema = JSON.parse(readFileSync(file, "utf8"));
  // The Teams schemas declare draft-04, which Ajv 8 does not load. They use no keyword whose meaning changed after
  // draft-04 (boolean exclusiveMinimum/Maximum, string `id`), so they validate identically as draft-07; the guard
  // below fails loudly if a future schema version starts to.
  assertNoDraft04OnlyKeywords(schema, "#");
  delete schema.$schema;
  return schema;
}

function assertNoDraft04OnlyKeywords(node, where) {
  if (node === null || typeof node !== "object") {
    return;
  }

  for (const [key, value] of Object.entries(node)) {
    if ((key === "exclusiveMinimum" || key === "exclusiveMaximum") && typeof value === "boolean") {
      throw new Error(`${where}/${key} is a draft-04 boolean; this validator would misread it`);
    }

    assertNoDraft04OnlyKeywords(value, `${where}/${key}`);
  }
}

export function validateManifest(manifest) {
  const manifestVersion = manifest?.manifestVersion;
  const schema = typeof manifestVersion === "string" ? schemaFor(manifestVersion) : null;
  if (schema === null) {
    return {
      valid: false,
      manifestVersion: manifestVersion ?? null,
      errors: [{ instancePath: "/manifestVersion", message: `no official schema for manifestVersion ${JSON.stringify(manifestVersion)}` }],
    };
  }

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const errors = validate(manifest) ? [] : validate.errors.map(({ instancePath, keyword, message, params }) => ({ instancePath, keyword, message, params }));

  const expectedSchemaUrl = `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`;
  if (manifest.$schema !== undefined && manifest.$schema !== expectedSchemaUrl) {
    errors.push({ instancePath: "/$schema", keyword: "rule", message: `must be ${expectedSchemaUrl} to match manifestVersion` });
  }

  // manifest-schema.md: "description.full ... must be different from the short description".
  if (manifest.description?.short !== undefined && manifest.description.short === manifest.description.full) {
    errors.push({ instancePath: "/description/full", keyword: "rule", message: "must differ from description.short" });
  }

  return { valid: errors.length === 0, manifestVersion, errors };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  let result;
  try {
    if (!file) {
      throw new Error("usage: node validate.mjs <manifest.json>");
    }

    result = validateManifest(JSON.parse(readFileSync(file, "utf8")));
  } catch (error) {
    result = { valid: false, errors: [{ instancePath: "", keyword: "input", message: error.message }] };
  }

  console.log(JSON.stringify(result, null, 2));
  process.exitCode = result.valid ? 0 : 1;
}
