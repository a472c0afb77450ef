import { runCli } from './cli.js';

// The `replaylab` command: the only place the CLI touches process globals.
const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
