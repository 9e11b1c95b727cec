// The report's inline stylesheet: a readable single column of cards, system fonts, print friendly.

export const REPORT_CSS = `
:root { --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #f6f7f9; --card: #fff; --accent: #2563eb; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 20px 48px; }
header h1 { margin: 0 0 4px; font-size: 26px; letter-spacing: -0.01em; overflow-wrap: anywhere; }
header p { margin: 0 0 20px; color: var(--muted); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; margin: 0 0 18px; min-width: 0; overflow-x: auto; }
h2 { margin: 0 0 12px; font-size: 17px; }
h3 { margin: 14px 0 8px; font-size: 14px; color: var(--muted); font-weight: 600; }
.overview { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(340px, 100%), 1fr)); gap: 0 18px; align-items: start; }
.overview > * { min-width: 0; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 18px 28px; align-items: start; }
.columns > * { min-width: 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 12px 5px 0; text-align: left; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; }
td.num, th.num { text-align: right; padding-left: 12px; }
tfoot td { font-weight: 600; border-bottom: none; border-top: 2px solid var(--line); }
table.kv td:first-child { color: var(--muted); padding-right: 24px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { overflow-x: auto; min-width: 0; max-width: 100%; }
.columns table + .chart { margin-top: 18px; }
.chart svg { display: block; max-width: 100%; height: auto; }
.note { color: var(--muted); margin: 8px 0 0; }
.image-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(92px, 1fr)); gap: 10px; }
.image-grid figure { margin: 0; padding: 8px 6px 6px; border: 1px solid var(--line); border-radius: 8px; text-align: center; background: #fafafa; }
.image-grid img { display: block; margin: 0 auto 4px; image-rendering: pixelated; background: #000; }
.image-grid figcaption { font-size: 12px; line-height: 1.3; overflow-wrap: anywhere; }
.image-grid .pred { color: var(--bad); font-weight: 600; }
@media (max-width: 480px) {
  main { padding: 16px 8px 32px; }
  header h1 { font-size: 20px; }
  section { padding: 12px 10px; }
  table { font-size: 13px; }
  th, td { padding: 4px 5px 4px 0; }
  td.num, th.num { padding-left: 4px; }
  th { font-size: 10.5px; letter-spacing: 0; }
  table.kv td:first-child { padding-right: 10px; }
}
@media print { body { background: #fff; } section { break-inside: avoid; border-color: #ccc; } }
`;
