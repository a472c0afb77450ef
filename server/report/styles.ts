/** The report's only stylesheet, inlined: system fonts, light and dark, printable. */
export const REPORT_CSS = `
:root { color-scheme: light dark;
  --bg: #fbfbfa; --fg: #1d2026; --muted: #5d6470; --line: #d9dce1; --card: #ffffff; --code: #f2f3f5;
  --ok: #17803d; --ok-bg: #e6f4ea; --fail: #c4321f; --fail-bg: #fbe9e6; --warn: #9a6200; --warn-bg: #fdf3dc;
  --info: #2f5fb3; --info-bg: #e8eefa; --base: #7b8290; --bar: #9aa6b8; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #15171b; --fg: #e6e8eb; --muted: #9aa1ad; --line: #343943; --card: #1c1f25; --code: #23272e;
  --ok: #4cc573; --ok-bg: #173322; --fail: #ff7a66; --fail-bg: #3a1d19; --warn: #f0b443; --warn-bg: #352a13;
  --info: #7fa8f0; --info-bg: #1b2740; --base: #8a909b; --bar: #56627a; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 20px 48px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 4px 0 6px; }
h2 { font-size: 1.2rem; margin: 0 0 10px; }
h3 { font-size: 1rem; margin: 16px 0 6px; }
h2 + h3, .card > h3:first-child { margin-top: 0; }
p { margin: 6px 0; }
.eyebrow { color: var(--muted); font-size: .85rem; letter-spacing: .02em; margin: 0; }
.meta { color: var(--muted); font-size: .88rem; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .84rem; }
code { background: var(--code); padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin: 16px 0; }
.banner { border-radius: 10px; padding: 14px 18px; margin: 16px 0; border: 1px solid; }
.banner .verdict { font-size: 1.35rem; font-weight: 700; }
.tone-ok { color: var(--ok); background: var(--ok-bg); border-color: var(--ok); }
.tone-fail { color: var(--fail); background: var(--fail-bg); border-color: var(--fail); }
.tone-warn { color: var(--warn); background: var(--warn-bg); border-color: var(--warn); }
.tone-info { color: var(--info); background: var(--info-bg); border-color: var(--info); }
.banner p { color: var(--fg); }
.pill { display: inline-block; font-size: .78rem; font-weight: 600; padding: 1px 8px; border-radius: 999px; border: 1px solid; white-space: nowrap; }
.prov { display: inline-block; font-size: .8rem; color: var(--muted); border: 1px dashed var(--line); border-radius: 6px; padding: 2px 8px; }
.prov b { color: var(--warn); }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; font-size: .82rem; white-space: nowrap; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.from { color: var(--fail); } .to { color: var(--ok); font-weight: 600; }
.why { color: var(--muted); font-size: .85rem; }
ol.timeline { list-style: none; margin: 0; padding: 0; }
ol.timeline > li { display: grid; grid-template-columns: 2.2rem 6.2rem 1fr 7.5rem; gap: 4px 10px; padding: 8px 0; border-bottom: 1px solid var(--line); }
ol.timeline > li:last-child { border-bottom: 0; }
blockquote.explanation { margin: 6px 0 0; padding: 6px 10px; border-left: 3px solid var(--line); white-space: pre-wrap; }
.n { color: var(--muted); font-variant-numeric: tabular-nums; }
.st-ok { color: var(--ok); } .st-failed { color: var(--fail); } .st-warning { color: var(--warn); } .st-skipped { color: var(--muted); }
.step-title { font-weight: 600; }
.step-body { grid-column: 3 / 5; color: var(--fg); font-size: .9rem; overflow-wrap: anywhere; }
.dur { display: block; text-align: right; font-size: .85rem; color: var(--muted); font-variant-numeric: tabular-nums; }
.bar { display: block; height: 4px; background: var(--line); border-radius: 2px; margin-top: 4px; }
.bar > span { display: block; height: 4px; background: var(--bar); border-radius: 2px; }
details { margin-top: 4px; }
summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
pre.log { background: var(--code); border-radius: 6px; padding: 8px 0; margin: 6px 0; line-height: 1.45; white-space: normal; }
pre.log .l { display: grid; grid-template-columns: auto 1fr; column-gap: 10px; padding: 0 10px; }
pre.log .ln { min-width: 2.6em; color: var(--muted); user-select: none; text-align: right; }
pre.log .t { white-space: pre-wrap; overflow-wrap: anywhere; }
.card { margin-top: 12px; }
.card + .card { border-top: 1px solid var(--line); padding-top: 12px; margin-top: 16px; }
td.setting code { white-space: nowrap; }
.chart { display: block; max-width: 100%; height: auto; }
.chart text { fill: var(--fg); font: 12px system-ui, sans-serif; }
.chart .tick { fill: var(--muted); }
.chart .caption { fill: var(--warn); font-weight: 700; }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .axis, .chart .tick-mark { stroke: var(--muted); stroke-width: 1; }
.chart .total { stroke: var(--warn); stroke-width: 1.5; stroke-dasharray: 6 4; }
.chart .total-label { fill: var(--warn); }
.chart .series { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
.chart .s-fixed { stroke: var(--ok); } .chart .s-failing { stroke: var(--fail); stroke-dasharray: 7 5; }
.chart .s-baseline { stroke: var(--base); stroke-width: 1.5; stroke-dasharray: 2 3; }
.chart circle.s-fixed { fill: var(--ok); } .chart circle.s-failing { fill: var(--fail); stroke-dasharray: none; } .chart circle.s-baseline { fill: var(--base); stroke-dasharray: none; }
ul.legend { list-style: none; padding: 0; margin: 8px 0 0; font-size: .86rem; }
ul.legend li { margin: 2px 0; }
.swatch { display: inline-block; width: 22px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 6px; }
.sw-failing { border-color: var(--fail); border-top-style: dashed; } .sw-fixed { border-color: var(--ok); } .sw-baseline { border-color: var(--base); border-top-style: dotted; }
.formula { font-size: 1.05rem; }
.formula b { font-size: 1.15rem; }
footer { color: var(--muted); font-size: .82rem; margin-top: 24px; }
@media (max-width: 720px) { main { padding: 16px 10px 32px; } section { padding: 12px; } table { display: block; overflow-x: auto; } h1 { font-size: 1.35rem; overflow-wrap: anywhere; } ol.timeline > li { grid-template-columns: 2rem 1fr; } .step-title, .step-body, .dur { grid-column: 2; text-align: left; } td.why { min-width: 14em; } }
@media print {
  :root { color-scheme: light; --bg: #fff; --fg: #1d2026; --muted: #5d6470; --line: #d9dce1; --card: #ffffff; --code: #f2f3f5;
  --ok: #17803d; --ok-bg: #e6f4ea; --fail: #c4321f; --fail-bg: #fbe9e6; --warn: #9a6200; --warn-bg: #fdf3dc;
  --info: #2f5fb3; --info-bg: #e8eefa; --base: #7b8290; --bar: #9aa6b8; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section, .banner { break-inside: avoid; page-break-inside: avoid; }
  section.timeline-section { break-inside: auto; }
}
`;
