import { MAX_VARIANTS, diffBotBundles, type BotVariant } from '@mascot/bot-bundle';
import { withVariantApplied } from '../../../shared/variant-view.ts';
import { LinesField } from '../../ui/Field.tsx';
import type { BundleEditor } from '../../ui/use-bundle-draft.ts';
import { VariantEditor } from './VariantEditor.tsx';

function nextVariantId(variants: readonly BotVariant[]): string {
  for (let n = variants.length + 1; ; n += 1) {
    const id = n === 1 ? 'control' : `variant-${n}`;
    if (!variants.some((v) => v.id === id)) return id;
  }
}

export function AudiencePanel({ editor }: { editor: BundleEditor }) {
  const { draft, edit, errorsUnder, errorAt } = editor;
  const variants = draft.variants;
  const totalWeight = variants.reduce((sum, v) => sum + (Number.isFinite(v.weight) ? v.weight : 0), 0);
  const setVariant = (index: number, next: BotVariant) => edit((b) => ({ ...b, variants: b.variants.map((v, i) => (i === index ? next : v)) }));
  const base = { ...draft, variants: [] };

  return (
    <form className="editor" aria-label="Audience" onSubmit={(e) => e.preventDefault()}>
      <section className="card">
        <h2>Sites</h2>
        <LinesField label="Allowed sites" path="allowedOrigins" placeholder="https://shop.example.com"
          hint="One origin per line (scheme, host, optional port). Empty: any site may embed the bot."
          values={draft.allowedOrigins} errors={errorsUnder('allowedOrigins')} onChange={(allowedOrigins) => edit((b) => ({ ...b, allowedOrigins }))} />
      </section>
      <section className="card">
        <h2>A/B variants</h2>
        <p className="hint">Once there are variants every visitor is in exactly one, chosen by weight and kept for that visitor. Add a variant without changes as the control arm.</p>
        {errorAt('variants') && <p className="field-error">{errorAt('variants')}</p>}
        <div className="variants">
          {variants.map((variant, index) => (
            <VariantEditor
              key={index}
              index={index}
              variant={variant}
              share={totalWeight > 0 && Number.isFinite(variant.weight) ? variant.weight / totalWeight : 0}
              base={draft}
              changes={diffBotBundles(base, withVariantApplied(draft, variant))}
              errorAt={errorAt}
              onChange={(next) => setVariant(index, next)}
              onRemove={() => edit((b) => ({ ...b, variants: b.variants.filter((_, i) => i !== index) }))}
            />
          ))}
        </div>
        <button type="button" className="button" disabled={variants.length >= MAX_VARIANTS}
          onClick={() => edit((b) => ({ ...b, variants: [...b.variants, { id: nextVariantId(b.variants), weight: 50 }] }))}>
          Add a variant
        </button>
        {variants.length >= MAX_VARIANTS && <p className="hint">A bot has at most {MAX_VARIANTS} variants.</p>}
      </section>
    </form>
  );
}
