// Bin entry (bundled to dist/cli/cors-lens.mjs by vite.cli.config.ts).
import { main } from './main';

const code = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
process.exitCode = code;
