import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WIDGET_BUDGETS, WIDGET_DIST, checkBudgets, kilobytes, measureWidgetBundle, widgetIsBuilt } from './widget-bundle.ts';

// Reads the real build output. Building is not this test's job (`npm test` builds before it runs);
// without a build there is nothing to measure, which the skip reason says.
const built = widgetIsBuilt();

describe.skipIf(!built)('widget size budgets (needs `npm run build`; skipped when widget/dist is absent)', () => {
  const bundle = built ? measureWidgetBundle() : null;

  it.each(Object.keys(WIDGET_BUDGETS) as (keyof typeof WIDGET_BUDGETS)[])('the %s stays within its gzip budget', (name) => {
    const check = checkBudgets(bundle!).find((c) => c.name === name)!;
    expect(check.gzipBytes, `${name}: ${kilobytes(check.gzipBytes)} of ${kilobytes(check.budgetBytes)}`).toBeLessThanOrEqual(check.budgetBytes);
  });

  it('finds the avatar as lazy chunks, three.js only among them and never in the initial app', () => {
    const read = (file: string) => readFileSync(path.join(WIDGET_DIST, file), 'utf8');
    expect(bundle!.avatar.map((f) => path.basename(f.file))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AvatarStage-.*\.js$/), expect.stringMatching(/^three-avatar-.*\.js$/)]),
    );
    // three.js' own messages survive minification; they mark where its code went.
    const threeMarker = 'THREE.WebGLRenderer';
    expect(bundle!.avatar.some((f) => read(f.file).includes(threeMarker))).toBe(true);
    for (const file of [...bundle!.app, ...bundle!.loader]) expect(read(file.file), file.file).not.toContain(threeMarker);
  });
});
