import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/**
 * Where python/driver.py sits: next to the sources during development (src/core/alembic → ../../..)
 * and next to the bundle once packaged (dist → ..). Searched upwards so both layouts work.
 */
export function driverPath(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'python', 'driver.py');
    if (fs.existsSync(candidate)) return (cached = candidate);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`python/driver.py not found above ${__dirname}`);
    dir = parent;
  }
}
