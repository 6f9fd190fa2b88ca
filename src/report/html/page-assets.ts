import { sliceId, type CellReport } from '../../model/index.js';
import { escapeXml as h } from '../escape.js';
import { HEAT_OUTCOMES } from './heat-outcome.js';
import { namespaceOf } from './namespace-of.js';

// Inline only: the file must render anywhere (CI artifact viewers, file://, offline) with no external assets.
const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em auto;max-width:90em;padding:0 1em;color:#1f2328}
h1{font-size:1.4em}h2{font-size:1.15em;margin:0;display:inline}h3{font-size:1em;margin:1.2em 0 .4em}
.meta{color:#59636e}.ok{color:#1a7f37}.bad{color:#cf222e}.warn{color:#9a6700}
details{border:1px solid #d1d9e0;border-radius:6px;padding:.5em 1em;margin:.8em 0}
summary{cursor:pointer}
table{border-collapse:collapse;margin:.4em 0}
th,td{border:1px solid #d1d9e0;padding:.15em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.n{text-align:right}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em}
.error{background:#ffebe9;padding:.4em .8em;border-radius:4px}
.notes{background:#fff8c5;padding:.4em .8em .4em 2em;border-radius:4px}
#filters{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #d1d9e0;padding:.4em 0;display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center}
#filters label{white-space:nowrap}
#inspector{position:fixed;right:1em;bottom:1em;max-width:36em;white-space:pre-wrap;background:#fff;border:1px solid #8c959f;border-radius:6px;padding:.6em .8em;box-shadow:0 4px 14px rgba(0,0,0,.15);font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;z-index:3}
.maps{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
.provider{border-left:3px solid #d1d9e0;padding-left:.6em}.provider h4{margin:.2em 0}
.slice[hidden]{display:none}
table.heat{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
table.heat caption{text-align:left;font-weight:bold;padding:.2em 0}
table.heat th{font-weight:normal;padding:.1em .3em}
table.heat th.col{writing-mode:vertical-rl;transform:rotate(180deg);max-height:9em;white-space:nowrap}
table.heat td{width:1.9em;height:1.6em;padding:0;text-align:center;vertical-align:middle;cursor:default}
.c.o-allowed{background:#aceebb;color:#116329}
.c.o-blocked{background:#59636e;color:#fff}
.c.o-rejected{background:repeating-linear-gradient(45deg,#424a53 0 3px,#6e7781 3px 6px);color:#fff}
.c.o-denied{background:repeating-linear-gradient(-45deg,#8c2f39 0 3px,#b35c65 3px 6px);color:#fff}
.c.o-error{background:#ffd8b5;color:#953800;font-weight:bold}
.c.o-skipped{background:#f6f8fa;color:#8c959f}
.c.o-interrupted{background:#fff8c5;color:#7d4e00}
.c.o-unsupported{background:repeating-linear-gradient(90deg,#ddf4ff 0 3px,#fff 3px 5px);color:#0550ae}
.c.o-not-served{background:repeating-linear-gradient(-45deg,#fff 0 3px,#d1d9e0 3px 5px);color:#59636e}
.c.o-unknown{background:#e8dcff;color:#6639ba}
.c.o-ambiguous{background:repeating-linear-gradient(45deg,#aceebb 0 4px,#59636e 4px 8px);color:#fff;font-weight:bold}
.c.ign{opacity:.55}
.c.mm{outline:3px solid #cf222e;outline-offset:-3px;font-weight:bold}
.c.o-allowed.mm{background:#ffcecb;color:#a40e26}
.c.dev{outline:2px dashed #9a6700;outline-offset:-2px}
.c.dis{box-shadow:inset 0 0 0 2px #8250df}
.c.hl{outline:3px solid #0969da;outline-offset:-1px;box-shadow:0 0 0 2px #fff inset}
td.off{opacity:.08}
.show-diff td.c:not(.ch){opacity:.12}
.show-diff td.ch{outline:3px solid #0969da;outline-offset:-3px}
button.diff{font:inherit;padding:.1em .6em;border:1px solid #8c959f;border-radius:4px;background:#f6f8fa;cursor:pointer}
button.diff[aria-pressed=true]{background:#0969da;color:#fff}
.legend span.sw{display:inline-block;width:1.9em;text-align:center;border:1px solid #d1d9e0;margin-right:.3em;font:12px ui-monospace,monospace}
svg.graph{border:1px solid #d1d9e0;border-radius:6px;background:#fff;flex:none}
svg.graph text{font:11px system-ui,sans-serif;fill:#1f2328}
svg.graph text.g{font-weight:bold}
svg.graph path.e{fill:none;stroke:#57606a;stroke-opacity:.55;stroke-width:1.2}
svg.graph path.e.mm{stroke:#cf222e;stroke-opacity:.9;stroke-width:1.8}
svg.graph path.e.missing{stroke-dasharray:4 3}
svg.graph path.ah{fill:#57606a}svg.graph path.ah.mm{fill:#cf222e}
svg.graph circle.n{stroke:#fff;stroke-width:1.5}
.g0{fill:#0969da}.g1{fill:#8250df}.g2{fill:#1a7f37}.g3{fill:#bf3989}.g4{fill:#9a6700}.g5{fill:#0a7ea4}
svg.graph text.g0,svg.graph text.g1,svg.graph text.g2,svg.graph text.g3,svg.graph text.g4,svg.graph text.g5{fill-opacity:1}
`;

// Filters dim or hide cells through classes only, so the page stays static HTML that also reads without script.
const SCRIPT = `
(function () {
  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var form = document.getElementById('filters');
  var count = document.getElementById('f-count');
  function apply() {
    var ns = form.elements.ns.value, port = form.elements.port.value, only = form.elements.mm.checked;
    var outcomes = {};
    all('input[name=o]', form).forEach(function (b) { if (b.checked) outcomes[b.value] = true; });
    all('.slice').forEach(function (s) { s.hidden = port !== '' && s.getAttribute('data-slice') !== port; });
    var shown = 0;
    all('td.c').forEach(function (td) {
      var ok = (ns === '' || td.getAttribute('data-fn') === ns || td.getAttribute('data-tn') === ns)
        && outcomes[td.getAttribute('data-o')] === true && (!only || td.classList.contains('mm') || td.classList.contains('hl'));
      td.classList.toggle('off', !ok);
      if (ok && !td.closest('.slice').hidden) shown++;
    });
    count.textContent = shown + ' cells match';
  }
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  var inspector = document.getElementById('inspector');
  function inspect(e) {
    var td = e.target && e.target.closest ? e.target.closest('td.c') : null;
    if (!td) return;
    inspector.textContent = td.getAttribute('title');
    inspector.hidden = false;
  }
  document.addEventListener('mouseover', inspect);
  document.addEventListener('focusin', inspect);
  all('button.diff').forEach(function (b) {
    b.addEventListener('click', function () {
      var on = b.closest('.step').classList.toggle('show-diff');
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
    });
  });
  apply();
})();
`;

/** The page's inline stylesheet (a CDATA-safe string). */
export function pageStyle(): string {
  return `<style>${STYLE}</style>`;
}

/** The page's inline script; CDATA-wrapped so the page also parses as XML. */
export function pageScript(): string {
  return `<script>//<![CDATA[${SCRIPT}//]]></script>`;
}

/** The filter bar over these cells: namespace, port (slice) and outcome filters, plus the mismatch-only switch. */
export function filterBar(cells: readonly CellReport[]): string {
  const namespaces = [...new Set(cells.flatMap((c) => [namespaceOf(c.from), namespaceOf(c.to)]))].sort();
  const slices = [...new Set(cells.map((c) => sliceId(c)))].sort();
  const options = (values: readonly string[], all: string): string => [`<option value="">${h(all)}</option>`, ...values.map((v) => `<option value="${h(v)}">${h(v)}</option>`)].join('');
  const outcomes = outcomesShown(cells).map((o) => `<label><input type="checkbox" name="o" value="${o.outcome}" checked> ${o.outcome}</label>`).join(' ');
  return [
    '<form id="filters">',
    `<label>Namespace <select name="ns">${options(namespaces, 'all namespaces')}</select></label>`,
    `<label>Port <select name="port">${options(slices, 'all ports')}</select></label>`,
    `<span>${outcomes}</span>`,
    '<label><input type="checkbox" name="mm"> mismatches only</label>',
    '<output id="f-count" class="meta"></output>',
    '</form>',
  ].join('\n');
}

/** The heat outcomes a page over these cells lists: `ambiguous` only when the engine gave it somewhere, `denied` only when some cell is denied (pages without them stay as they were). */
function outcomesShown(cells: readonly CellReport[]): typeof HEAT_OUTCOMES {
  const ambiguous = cells.some((c) => c.engine === 'ambiguous');
  const denied = cells.some((c) => c.expected === 'denied' || c.engine === 'denied' || c.observed === 'denied');
  return HEAT_OUTCOMES.filter((o) => (o.outcome !== 'ambiguous' || ambiguous) && (o.outcome !== 'denied' || denied));
}

/** Legend of the outcomes these cells can show (colour swatch + symbol) and marks. */
export function legend(cells: readonly CellReport[]): string {
  const outcomes = outcomesShown(cells).map((o) => `<span><span class="sw c o-${o.outcome}">${h(o.symbol)}</span>${h(o.meaning)}</span>`).join(' · ');
  const marks = '<span class="sw c o-allowed mm">[.]</span>mismatch · <span class="sw c o-blocked dev">(X)</span>expected failure (known deviation) · <span class="sw c o-allowed dis">{.}</span>engine disagrees with the expectation · faded: don\'t care (ignored)';
  return `<p class="legend meta">${outcomes}<br>${marks}</p>`;
}

/** The hover inspector box (filled by the script from the cell's tooltip). */
export function inspectorBox(): string {
  return '<div id="inspector" hidden="hidden" aria-live="polite"></div>';
}
