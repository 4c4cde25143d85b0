// Baseline for the turn benchmark: an echo bot on the official Bot Framework JS SDK (botbuilder, CloudAdapter),
// anonymous (no MicrosoftAppId), replying with text + a small Adaptive Card in one activity to the activity's
// serviceUrl (the benchmark's loopback fake connector). Plain node:http with the two tiny shims CloudAdapter.process
// needs, so no web framework's cost is added to the SDK's.
'use strict';
const http = require('node:http');
const {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
} = require('botbuilder');

const port = Number(process.env.PORT || 0);
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
adapter.onTurnError = async (_context, error) => {
  console.error('turn error', error);
};

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const text = context.activity.text || '';
      await context.sendActivity({
        type: 'message',
        text: `Echo: ${text}`,
        attachments: [
          CardFactory.adaptiveCard({
            type: 'AdaptiveCard',
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            version: '1.5',
            body: [
              { type: 'TextBlock', text: 'Echo', weight: 'Bolder', size: 'Medium' },
              { type: 'TextBlock', text, wrap: true },
            ],
          }),
        ],
      });
      await next();
    });
  }
}

const bot = new EchoBot();

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || !req.url.startsWith('/api/messages')) {
    res.statusCode = 404;
    res.end();
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.statusCode = 400;
      res.end();
      return;
    }
    const request = { body, headers: req.headers, method: req.method };
    const response = {
      socket: res.socket,
      header: (name, value) => res.setHeader(name, value),
      status: (code) => { res.statusCode = code; },
      send: (payload) => {
        if (payload === undefined || payload === null) return;
        if (typeof payload === 'object' && !Buffer.isBuffer(payload)) {
          res.setHeader('Content-Type', 'application/json');
          res.write(JSON.stringify(payload));
        } else {
          res.write(payload);
        }
      },
      end: (...args) => res.end(...args),
    };
    adapter.process(request, response, (context) => bot.run(context)).catch((error) => {
      console.error('process error', error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
});

server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => {
  // The benchmark waits for this line to learn the port.
  console.log(`READY http://127.0.0.1:${server.address().port}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
// The benchmark closes our stdin to stop us.
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));
