// The options page: which tabs are recorded (background/scope.ts) and how many requests a tab's
// log keeps. Both live in storage.local; the background applies changes as they are saved.
import { DEFAULT_CAP } from '../core/log';
import { SETTINGS } from '../shared/protocol';
import { capFrom, MAX_CAP } from '../background/lifecycle';
import { scopeFrom } from '../background/scope';
import { ext } from '../shared/ext';

const form = document.getElementById('options') as HTMLFormElement;
const status = form.querySelector<HTMLElement>('.status')!;
const capInput = form.elements.namedItem('cap') as HTMLInputElement;
capInput.max = String(MAX_CAP);

function say(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

async function load(): Promise<void> {
  const got = await ext.storage.local.get<Record<string, unknown>>([SETTINGS.recordScope, SETTINGS.logCap]);
  const scope = scopeFrom(got[SETTINGS.recordScope]);
  for (const r of form.querySelectorAll<HTMLInputElement>('input[name="scope"]')) r.checked = r.value === scope;
  capInput.value = String(capFrom(got[SETTINGS.logCap] ?? DEFAULT_CAP));
}

form.addEventListener('change', (e) => void onChange(e));

async function onChange(e: Event): Promise<void> {
  const t = e.target as HTMLInputElement;
  try {
    if (t.name === 'scope') {
      await ext.storage.local.set({ [SETTINGS.recordScope]: scopeFrom(t.value) });
      say(
        t.value === 'all' ? 'Saved: every tab is recorded.' : 'Saved: tabs are recorded while their DevTools is open.',
      );
    } else if (t.name === 'cap') {
      const n = Number(t.value);
      if (!Number.isInteger(n) || n < 1 || n > MAX_CAP) {
        say(`Enter a whole number from 1 to ${MAX_CAP.toLocaleString('en-US')}.`, true);
        return;
      }
      await ext.storage.local.set({ [SETTINGS.logCap]: n });
      say(`Saved: at most ${n.toLocaleString('en-US')} requests per tab.`);
    }
  } catch (err) {
    say(`Could not save: ${String(err)}`, true);
  }
}
form.addEventListener('submit', (e) => e.preventDefault());

load().catch((err) => say(`Could not read the settings: ${String(err)}`, true));
