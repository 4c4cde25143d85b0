// Renders bound cards with the official adaptivecards 3.0.6 renderer in Debian's Chromium, in a Teams-like light
// theme 480 px wide, and takes a screenshot of each. One browser for the whole batch; no network.
// argv[2]: folder for <name>.png   stdin: [{ "name", "card" }]
// stdout: [{ "name", "events": ["<phase> <event>: <message>"], "width", "height" }]
// Events: bind (a number or boolean where the card wants text), parse and validate (as validate.mjs), render (nothing
// rendered, page errors), layout (content wider than the card, text, a button or a drop-down's choice cut off, inputs
// side by side that do not line up, a template expression left).
import { createRequire } from 'node:module';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, '..', 'node_modules');

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: node render.mjs <screenshot folder> < cards.json');
await mkdir(outDir, { recursive: true });

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));

// Teams' light theme, approximated: Segoe UI (Liberation Sans stands in where it isn't installed), Fluent colours,
// 16 px padding, actions side by side and stretched.
const hostConfig = JSON.parse(await readFile(join(here, 'teams-light.hostconfig.json'), 'utf8'));

const profile = await mkdtemp(join(tmpdir(), 'engagements-cards-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.ENGAGEMENTS_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 560, height: 900 },
  deviceScaleFactor: 1,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  // Everything the page needs is injected from node_modules; a card that asks for anything else (an image URL) gets nothing.
  await context.route('**/*', route => route.abort());
  const page = context.pages()[0] ?? await context.newPage();
  const pageErrors = [];
  page.on('pageerror', e => pageErrors.push(`render page error: ${e.message}`));
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') pageErrors.push(`render console ${m.type()}: ${m.text()}`); });

  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body><div id="stage"><div id="frame"></div></div></body></html>');
  await page.addStyleTag({ path: join(modules, 'adaptivecards', 'dist', 'adaptivecards.css') });
  await page.addStyleTag({ path: join(here, 'teams-light.css') });
  await page.addScriptTag({ path: join(modules, 'adaptivecards', 'dist', 'adaptivecards.min.js') });
  await page.addScriptTag({ path: join(modules, 'markdown-it', 'dist', 'browser', 'markdown-it.umd.min.js') });
  await page.evaluate(installRenderer, hostConfig);

  const results = [];
  for (const { name, card } of cases) {
    pageErrors.length = 0;
    const result = await page.evaluate(c => window.renderCard(c), card);
    if (result.width > 0 && result.height > 0) {
      await page.locator('#stage').screenshot({ path: join(outDir, `${name}.png`), animations: 'disabled' });
    }
    results.push({ name, events: [...nonTextValues(card), ...result.events, ...pageErrors], width: result.width, height: result.height });
  }
  process.stdout.write(JSON.stringify(results));
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
}

// A whole-string binding keeps the data's JSON type, so "${count}" over a number yields a number; where the schema
// wants text the official renderer silently shows nothing (an empty fact value).
function nonTextValues(node, path = '') {
  if (Array.isArray(node)) return node.flatMap((item, i) => nonTextValues(item, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  const textProperties = node.type === 'Input.Number' ? ['text', 'title', 'label'] : ['text', 'title', 'value', 'label', 'placeholder', 'errorMessage', 'altText'];
  return Object.entries(node).flatMap(([key, value]) =>
    textProperties.includes(key) && value !== null && typeof value !== 'string' && typeof value !== 'object'
      ? [`bind: ${path ? path + '.' : ''}${key} is the ${typeof value} ${JSON.stringify(value)}, not text; the renderer shows nothing for it`]
      : nonTextValues(value, path ? `${path}.${key}` : key));
}

// Runs inside the page: defines window.renderCard(card) → { events, width, height }.
function installRenderer(hostConfigJson) {
  const AC = window.AdaptiveCards;
  // Teams' markdown in a TextBlock: bold, italics, bulleted and numbered lists, links; no HTML, no headings, tables,
  // images or code. A single newline is not a line break there (it takes a blank line), so `breaks` stays off.
  const markdown = window.markdownit('zero', { html: false, linkify: false, breaks: false }).enable(['emphasis', 'list', 'link']);
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => { result.outputHtml = markdown.render(text); result.didProcess = true; };
  const hostConfig = new AC.HostConfig(hostConfigJson);

  const describe = e => {
    const text = (e.innerText || e.value || '').trim().replace(/\s+/g, ' ');
    return `${e.className || e.tagName.toLowerCase()} "${text.length > 60 ? text.slice(0, 57) + '...' : text}"`;
  };

  window.renderCard = card => {
    const events = [];
    const frame = document.getElementById('frame');
    frame.replaceChildren();
    try {
      const context = new AC.SerializationContext();
      const adaptiveCard = new AC.AdaptiveCard();
      adaptiveCard.hostConfig = hostConfig;
      adaptiveCard.parse(card, context);
      for (let i = 0; i < context.eventCount; i++) {
        const e = context.getEventAt(i);
        events.push(`parse ${AC.ValidationEvent[e.event]}: ${e.message}`);
      }
      for (const e of adaptiveCard.validateProperties().validationEvents) {
        events.push(`validate ${AC.ValidationEvent[e.event]}: ${e.message}`);
      }
      const element = adaptiveCard.render();
      if (!element) {
        events.push('render: the renderer returned nothing');
        return { events, width: 0, height: 0 };
      }
      frame.appendChild(element);
    } catch (e) {
      events.push(`exception: ${String(e && e.message || e)}`);
      return { events, width: 0, height: 0 };
    }

    const root = frame.firstElementChild;
    const box = root.getBoundingClientRect();
    if (!root.innerText.trim()) events.push('render: the card shows no text');
    if (root.innerText.includes('${')) events.push('layout: a template expression is left in the text');
    for (const e of root.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
        events.push(`layout: ${describe(e)} sticks out of the card (${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} of ${Math.round(box.width)} px)`);
        continue;
      }
      const style = getComputedStyle(e);
      const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
      // An input scrolls a long value, as in Teams; that is not a layout fault.
      if (clips && !e.matches('input, textarea, select') && e.scrollWidth > e.clientWidth + 1 && (e.innerText || e.value || '').trim()) {
        events.push(`layout: ${describe(e)} is cut off (${e.scrollWidth} px of text in ${e.clientWidth} px)`);
      }
    }
    // Inputs side by side in a column set start at the same height unless a label wraps and pushes one input down.
    for (const row of root.querySelectorAll('.ac-columnSet')) {
      const columns = [...row.children].filter(c => c.classList.contains('ac-container') && c.querySelector('input, select, textarea'));
      const tops = columns.map(c => c.querySelector('input, select, textarea').getBoundingClientRect().top);
      if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 1) {
        const labels = columns.map(c => `"${(c.querySelector('label')?.innerText ?? '').trim().replace(/\s+/g, ' ')}"`);
        events.push(`layout: the inputs side by side (${labels.join(', ')}) do not line up: ${Math.round(Math.max(...tops) - Math.min(...tops))} px apart, a label wraps`);
      }
    }
    // A compact choice set shows its chosen title in a <select>, which cuts a long title off without an ellipsis.
    const measure = document.createElement('canvas').getContext('2d');
    for (const select of root.querySelectorAll('select')) {
      const title = select.options[select.selectedIndex]?.text ?? '';
      const style = getComputedStyle(select);
      measure.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      // Chromium draws the drop-down arrow inside the box, to the right of the text; 20 px keeps the title clear of it.
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
      if (measure.measureText(title).width > room) {
        events.push(`layout: the choice "${title}" is cut off in its drop-down (${Math.round(measure.measureText(title).width)} px of text in ${Math.round(room)} px)`);
      }
    }
    return { events, width: Math.round(box.width), height: Math.round(box.height) };
  };
}
