// Drives the Agents Playground web UI in Debian's Chromium for the C# browser tests (Engagements.Tests.BrowserUi).
// One long-lived process and one browser context for a whole test class: the first load of the Playground's 9 MB
// bundle costs 4.5-9 s on two cores, a reload 1-3 s.
//
// Protocol: one JSON request per stdin line, {"id":1,"cmd":"open","url":"http://localhost:5xxxx/"}; one JSON answer per
// stdout line, {"id":1,"ok":true,"value":...} or {"id":1,"ok":false,"error":"..."}. Nothing else is written to stdout.
// The process closes the browser, deletes its profile and exits when stdin ends: the test host closed it, or died.
//
// Selectors were read from the real page (Playground 0.2.28), not guessed:
//   conversations  treeitem "Personal Chat", "Delivery - General", "Delivery - approvals" (team - channel)
//   chat composer  the only textbox in a chat; Enter sends
//   channel post   the group holding the "Post" button ("Start a new post"); threads below it, newest first
//   @mention       typing "@Eng" opens #typeahead-menu; its menuitem inserts the mention
//   cards          .ac-adaptiveCard (the root of each rendered Adaptive Card; nested containers are .ac-container)
//   ChoiceSet      compact style renders as a combobox named by its label, options in a listbox; expanded as radios
//   mock activity  toolbar button "Mock an Activity" → menuitem → dialog with "Send activity"
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

const executablePath = process.env.ENGAGEMENTS_CHROMIUM ?? '/usr/bin/chromium';
const defaultTimeout = 15_000;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'engagements-chromium-'));
let context;
let page;

const removeProfile = () => fs.rmSync(profile, { recursive: true, force: true });
process.on('exit', removeProfile);

async function launch() {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    // Tall enough that a whole approval card and its thread fit one screenshot.
    viewport: { width: 1280, height: 1400 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(defaultTimeout);
  // The UI only shows what its conversation stream pushes while the page is connected (no history), so "ready" has to
  // mean the stream is open, not just that the composer rendered.
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        super(url, protocols);
        if (String(url).includes('/_ws_conversation/')) {
          this.addEventListener('open', () => { window.__conversationStreamOpen = true; });
          this.addEventListener('close', () => { window.__conversationStreamOpen = false; });
        }
      }
    };
  });
  page = context.pages()[0] ?? await context.newPage();
}

const cards = () => page.locator('.ac-adaptiveCard');

// Strict on purpose: a journey names text only its card shows, and two matches are an error, not a coin toss.
const card = (containing) => cards().filter({ hasText: containing });

const scope = (containing) => (containing ? card(containing) : page.locator('body'));

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const postComposer = () => page.getByRole('group').filter({ has: page.getByRole('button', { name: 'Post', exact: true }) });

async function until(condition, what, timeout = defaultTimeout) {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const commands = {
  async launch() {
    if (!context) {
      await launch();
    }

    return {};
  },

  async open({ url }) {
    const started = Date.now();
    if (!context) {
      await launch();
    }

    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.__conversationStreamOpen === true, null, { timeout: 30_000 });
    await page.getByRole('textbox').first().waitFor({ timeout: 30_000 });
    // The log panel repeats every message's text and takes a third of the width; screenshots are about the conversation.
    const hide = page.getByRole('button', { name: 'Hide log panel' });
    if (await hide.isVisible()) {
      await hide.click();
    }

    return { ms: Date.now() - started };
  },

  async conversation({ name }) {
    await page.getByRole('treeitem', { name, exact: true }).click();
    // A channel shows the "Start a new post" composer; a chat does not.
    const channel = name.includes(' - ');
    await until(async () => (await postComposer().count() > 0) === channel, `conversation "${name}" to open`);
    return { channel };
  },

  async send({ text, mention }) {
    const channel = await postComposer().count() > 0;
    const box = channel ? postComposer().getByRole('textbox') : page.getByRole('textbox');
    await box.click();
    if (mention) {
      // The typeahead opens on "@" plus a few letters; picking its entry makes a real mention, as a person would.
      await page.keyboard.type('@' + mention.slice(0, 3));
      await page.locator('#typeahead-menu [role=menuitem]', { hasText: mention }).click();
      await page.keyboard.type(' ');
    }

    // One input event for the text itself: key-by-key typing costs a round trip per character through the editor.
    await page.keyboard.insertText(text);
    if (channel) {
      await postComposer().getByRole('button', { name: 'Post', exact: true }).click();
    } else {
      await page.keyboard.press('Enter');
    }

    // Sent once the composer has emptied itself.
    await until(async () => ((await box.textContent()) ?? '').trim() === '', 'the composer to send the message');
    return {};
  },

  async waitForText({ card: containing, texts, timeout }) {
    const where = scope(containing);
    await where.waitFor({ state: 'visible', timeout: timeout ?? defaultTimeout });
    for (const text of texts) {
      await where.getByText(text).first().waitFor({ state: 'visible', timeout: timeout ?? defaultTimeout });
    }

    return await where.innerText();
  },

  async text({ card: containing }) {
    return await scope(containing).innerText();
  },

  async count({ card: containing }) {
    return await card(containing).count();
  },

  // The buttons a person can see on the card, by accessible name (icon-only buttons have an aria-label).
  async buttons({ card: containing }) {
    return await card(containing).getByRole('button').evaluateAll((buttons) => buttons
      .filter((b) => b.offsetParent !== null)
      .map((b) => b.getAttribute('aria-label') || b.innerText.trim()));
  },

  async click({ card: containing, button }) {
    await card(containing).getByRole('button', { name: button, exact: true }).click();
    return {};
  },

  // A ChoiceSet: "compact" renders a combobox named by its label, "expanded" a radio group.
  async choose({ card: containing, label, option }) {
    const name = new RegExp('^' + escape(option));
    const dropdown = card(containing).getByRole('combobox', { name: label });
    if (await dropdown.count() > 0) {
      await dropdown.click();
      await page.getByRole('option', { name }).click();
    } else {
      await card(containing).getByRole('radio', { name }).check();
    }

    return {};
  },

  async fill({ card: containing, label, value }) {
    await card(containing).getByLabel(label, { exact: false }).fill(value);
    return {};
  },

  // The toolbar's "Mock an Activity" menu: the UI's way to send install / uninstall and similar events.
  async mockActivity({ item }) {
    await page.getByRole('button', { name: 'Mock an Activity' }).click();
    await page.getByRole('menuitem').filter({ hasText: new RegExp('^' + escape(item) + '$') }).click();
    const dialog = page.getByRole('dialog', { name: item });
    await dialog.getByRole('button', { name: 'Send activity' }).click();
    await dialog.waitFor({ state: 'hidden' });
    return {};
  },

  async screenshot({ path: file, card: containing }) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (containing) {
      await card(containing).scrollIntoViewIfNeeded();
    }

    await page.screenshot({ path: file });
    return { path: file };
  },
};

let closing;
function close() {
  closing ??= (async () => {
    try {
      await context?.close();
    } finally {
      removeProfile();
    }
  })();
  return closing;
}

const reply = (answer) => process.stdout.write(JSON.stringify(answer) + '\n');

// Requests run one at a time, in order: the page is a single shared resource.
let queue = Promise.resolve();
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) {
    return;
  }

  queue = queue.then(async () => {
    let request;
    try {
      request = JSON.parse(line);
      const run = commands[request.cmd];
      if (!run) {
        throw new Error(`unknown command ${request.cmd}`);
      }

      reply({ id: request.id, ok: true, value: await run(request) });
    } catch (error) {
      reply({ id: request?.id, ok: false, error: String(error?.message ?? error) });
    }
  });
});

// The test host closed our stdin (finished, or died): never leave a browser behind.
lines.on('close', () => queue.finally(close).finally(() => process.exit(0)));
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => close().finally(() => process.exit(0)));
}
