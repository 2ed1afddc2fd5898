// Python literal helpers shared by the FastAPI, Flask and Django generators.
import { dq } from '../common';

export function pyList(xs: string[]): string {
  return `[${xs.map(dq).join(', ')}]`;
}

export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}
