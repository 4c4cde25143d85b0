// Parses bound cards with the official adaptivecards renderer library and reports its parse and validation events.
// stdin: [{ "name", "card" }]   stdout: [{ "name", "events": ["<phase> <event>: <message>"] }]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The package's ESM entry uses extension-less imports that Node can't resolve; the UMD bundle works.
const AC = require('adaptivecards/dist/adaptivecards.js');

// Markdown is rendered by the host (Teams); without a processor the library logs a warning for every card.
AC.AdaptiveCard.onProcessMarkdown = (text, result) => { result.outputHtml = text; result.didProcess = true; };

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const results = cases.map(({ name, card }) => {
  const events = [];
  try {
    const context = new AC.SerializationContext();
    const parsed = new AC.AdaptiveCard();
    parsed.parse(card, context);
    for (let i = 0; i < context.eventCount; i++) {
      const e = context.getEventAt(i);
      events.push(`parse ${AC.ValidationEvent[e.event]}: ${e.message}`);
    }
    for (const e of parsed.validateProperties().validationEvents) {
      events.push(`validate ${AC.ValidationEvent[e.event]}: ${e.message}`);
    }
  } catch (e) {
    events.push(`exception: ${String(e && e.message || e)}`);
  }
  return { name, events };
});
process.stdout.write(JSON.stringify(results));
