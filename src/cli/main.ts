// The command line's entry point: arguments in, one report out, an exit code that CI can act on.
// Exit codes: 0 passes, 1 blocked by CORS, 2 usage error, 3 not CORS (unreachable, TLS, timeout),
// 4 not decided (the actual request was not sent).
import { HELP_CHECK, HELP_MAIN, HELP_PROBE, parseArgs, UsageError } from './args';
import { runCheck } from './check';
import { runProbe } from './probe';
import { CLI_VERSION, renderJson, renderMarkdown, renderText } from './render';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const cmd = parseArgs(argv);
    switch (cmd.command) {
      case 'help':
        io.stdout(cmd.topic === 'probe' ? HELP_PROBE : cmd.topic === 'check' ? HELP_CHECK : HELP_MAIN);
        return 0;
      case 'version':
        io.stdout(`cors-lens ${CLI_VERSION}\n`);
        return 0;
      case 'probe': {
        const r = await runProbe(cmd);
        io.stdout(
          cmd.format === 'json'
            ? renderJson(r, cmd)
            : cmd.format === 'markdown'
              ? renderMarkdown(r, cmd)
              : renderText(r, cmd),
        );
        if (r.exitCode === 3) {
          const last = r.sim.wire.at(-1)?.result;
          const detail = last?.kind === 'error' ? ` (${last.detail})` : '';
          io.stderr(
            `cors-lens: not a CORS problem: ${r.entry.verdict.networkError ?? 'network error'}${detail} for ${r.sim.wire.at(-1)?.url ?? cmd.url}\n`,
          );
        }
        return r.exitCode;
      }
      case 'check':
        return await runCheck(cmd, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cors-lens: ${e.message}\n`);
      return 2;
    }
    io.stderr(`cors-lens: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    return 70;
  }
}
