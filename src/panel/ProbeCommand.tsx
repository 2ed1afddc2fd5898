// "Check from a terminal": the exact `cors-lens probe …` line for this entry, with a copy button.
// The command line re-asks the server as the browser did and also finds which origin it accepts
// (something the page itself cannot do). Rendered as a text node: the line carries header values.
import { useState } from 'preact/hooks';
import type { LogEntry } from '../core/log';
import { probeCommand } from '../core/report/probe-command';
import { CopyIcon } from './icons';
import './probe-command.css';

export function ProbeCommand({ entry, copy }: { entry: LogEntry; copy(text: string): Promise<boolean> }) {
  const [state, setState] = useState<'idle' | 'ok' | 'fail'>('idle');
  const line = probeCommand(entry);
  if (!line || entry.verdict.outcome === 'pending') return null;
  return (
    <section class="section probe-cmd" data-testid="probe-command">
      <h3>Check from a terminal</h3>
      <div class="pc-row">
        <code class="pc-line" data-testid="probe-command-line">
          {line}
        </code>
        <button
          class="btn copy"
          title="Copy the cors-lens command"
          data-testid="copy-probe-command"
          onClick={async () => {
            const ok = await copy(line);
            setState(ok ? 'ok' : 'fail');
            setTimeout(() => setState('idle'), 1200);
          }}
        >
          <CopyIcon />
          <span>{state === 'ok' ? 'Copied' : state === 'fail' ? 'Copy failed' : 'Copy'}</span>
        </button>
      </div>
      <p class="dim pc-note">
        <code>cors-lens</code> (<code>npx cors-lens</code> in this repository, or{' '}
        <code>node dist/cli/cors-lens.mjs</code>) sends the same requests from the command line and, if the server
        rejects the origin, finds the one it accepts.
      </p>
    </section>
  );
}
