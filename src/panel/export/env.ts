// Who is exporting: extension and browser version, read from the runtime (the report core is pure
// and takes these as input).
import type { ReportEnv } from '../../core/report/types';

interface RuntimeLike {
  runtime?: { getManifest?: () => { version?: string } };
}

export function runtimeEnv(): ReportEnv {
  const g = globalThis as { browser?: RuntimeLike; chrome?: RuntimeLike };
  let version = '0.0.0';
  try {
    version = (g.browser ?? g.chrome)?.runtime?.getManifest?.().version ?? version;
  } catch {
    /* not in an extension page (tests) */
  }
  const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;
  const ff = /Firefox\/([\d.]+)/.exec(ua);
  const cr = /(?:Chrome|Chromium)\/([\d.]+)/.exec(ua);
  return {
    extensionVersion: version,
    browser: ff ? 'firefox' : cr ? 'chrome' : 'unknown',
    browserVersion: ff?.[1] ?? cr?.[1] ?? '',
    userAgent: ua,
  };
}

/** Chrome's user agent is reduced to "156.0.0.0": ask for the full version where the API exists. */
export async function fullBrowserVersion(env: ReportEnv): Promise<ReportEnv> {
  const uad = (
    navigator as {
      userAgentData?: {
        getHighEntropyValues(h: string[]): Promise<{ fullVersionList?: Array<{ brand: string; version: string }> }>;
      };
    }
  ).userAgentData;
  if (env.browser !== 'chrome' || !uad) return env;
  try {
    const { fullVersionList } = await uad.getHighEntropyValues(['fullVersionList']);
    const v = fullVersionList?.find((b) => /Chrom/.test(b.brand));
    return v ? { ...env, browserVersion: v.version } : env;
  } catch {
    return env;
  }
}
