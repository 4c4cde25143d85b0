// Expands Adaptive Card templates with the official engine, for the .NET binder's differential tests.
// stdin: [{ "name", "template", "data" }]   stdout: [{ "name", "card" } | { "name", "error" }]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ACData = require('adaptivecards-templating');

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const results = cases.map(({ name, template, data }) => {
  try {
    // JSON.stringify drops undefined-valued properties the same way the .NET side omits them.
    const card = new ACData.Template(template).expand({ $root: data });
    return { name, card: card === undefined ? null : card };
  } catch (e) {
    return { name, error: String(e && e.message || e) };
  }
});
process.stdout.write(JSON.stringify(results));
