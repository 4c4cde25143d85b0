// Runs a command and stops it when this process's stdin closes. The test host holds the other end, so a server the tests
// start (the Agents Playground) ends with the host even when the host is killed outright and cannot clean up: Node has
// no parent-death signal of its own.
// Usage: node run-while-stdin-open.mjs <command> [args...]
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

let stopping = false;
function stop() {
  if (stopping) {
    return;
  }

  stopping = true;
  child.kill('SIGTERM');
  // The Playground sometimes takes seconds to honour SIGTERM; it keeps nothing worth a graceful end.
  setTimeout(() => child.kill('SIGKILL'), 2000).unref();
}

process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, stop);
}

child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
