/**
 * The dashboard's only stylesheet, inlined and allowed by its hash in the CSP (no 'unsafe-inline',
 * no external fonts or CDN). Mobile first: one column, two from 760 px. Each chart is rendered in a
 * wide and a narrow layout; below 640 px the narrow one shows, so chart text keeps its size on a phone.
 * Text colours meet WCAG AA contrast (4.5:1) on the card background in both schemes; series are told
 * apart by line style (solid, dashed, dotted) as well as colour.
 */
export const DASHBOARD_CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1c2330;--muted:#5d6778;--line:#d9dee6;--ok:#1f9d55;--warning:#d97706;--critical:#dc2626;--accent:#2563eb;--warning-text:#9a4d00;--critical-text:#b91c1c;--ok-text:#15703c}
@media (prefers-color-scheme:dark){:root{--bg:#0f141b;--card:#171e28;--fg:#e6ebf2;--muted:#9aa6b8;--line:#2a3442;--accent:#6b9cff;--warning-text:#f0a950;--critical-text:#ff8a8a;--ok-text:#5fd08f}}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between;padding:1rem 1.25rem;border-bottom:1px solid var(--line);background:var(--card)}
header h1{font-size:1.15rem;margin:0}header .meta{color:var(--muted);font-size:.85rem}
main{display:grid;gap:1rem;padding:1rem .6rem;grid-template-columns:1fr;max-width:1200px;margin:0 auto}
@media (min-width:480px){main{padding:1rem}}
@media (min-width:760px){main{grid-template-columns:1fr 1fr}.wide{grid-column:1/-1}}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem;min-width:0}
h2{font-size:1rem;margin:0 0 .75rem}
.kpis{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}.kpis dl{margin:0;display:grid;grid-template-columns:auto auto;gap:.2rem .8rem}
dt{color:var(--muted)}dd{margin:0;font-variant-numeric:tabular-nums}
svg.chart{width:100%;height:auto;display:block}svg.gauge{width:190px;height:auto}
.chart-narrow{display:none}@media (max-width:640px){.chart-wide{display:none}.chart-narrow{display:block}}
.grid{stroke:var(--line);stroke-width:1}.tick{stroke:var(--muted)}.axis{fill:var(--muted)}
line.guide{stroke:var(--warning);stroke-dasharray:4 4}.guide-label{fill:var(--warning-text);font-weight:600}
.area{fill:var(--accent);opacity:.12}.line{fill:none;stroke:var(--accent);stroke-width:2.5}
.projection{fill:none;stroke:var(--accent);stroke-width:2;stroke-dasharray:7 5}.projection-label{fill:var(--accent);font-weight:700}.now{stroke:var(--muted);stroke-dasharray:2 4}.dot{fill:var(--accent)}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;margin:.5rem 0 0;font-size:.85rem;color:var(--muted)}
.key::before{content:"";display:inline-block;width:1.4rem;height:0;margin-right:.35rem;vertical-align:middle;border-top:3px solid var(--accent)}
.key.projected::before{border-top-style:dashed}.key.threshold::before{border-top:2px dashed var(--warning)}
.summary{margin:.5rem 0 0}details{margin-top:.5rem}summary{cursor:pointer;color:var(--accent)}h3{font-size:.95rem;margin:1rem 0 .5rem}
.gauge .track{fill:none;stroke:var(--line);stroke-width:16;stroke-linecap:round}
.gauge .value{fill:none;stroke:var(--ok);stroke-width:16;stroke-linecap:round}
.gauge.warning .value{stroke:var(--warning)}.gauge.critical .value{stroke:var(--critical)}
.gauge-value{font-size:26px;font-weight:600;fill:var(--fg)}.gauge-label{font-size:11px;fill:var(--muted)}
svg.bar{width:100%;height:8px;display:block}.bar .track{fill:var(--line)}.bar .fill.ok{fill:var(--ok)}.bar .fill.warning{fill:var(--warning)}.bar .fill.critical{fill:var(--critical)}
table{width:100%;border-collapse:collapse;font-size:.9rem}td,th{padding:.35rem .4rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}th{color:var(--muted);font-weight:500}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
ul.alerts{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
ul.alerts li{border-left:4px solid var(--muted);padding:.4rem .6rem;background:var(--bg);border-radius:4px}
ul.alerts li.critical{border-color:var(--critical)}ul.alerts li.warning{border-color:var(--warning)}ul.alerts li.info{border-color:var(--accent)}
.badge{display:inline-block;font-size:.72rem;padding:.05rem .4rem;border-radius:999px;background:var(--line);margin-right:.35rem;text-transform:uppercase;letter-spacing:.02em}
.empty{color:var(--muted);margin:0}.error{color:var(--critical-text)}
ul.notifications{list-style:none;margin:0;padding:0;display:grid;gap:.45rem}ul.notifications li{border-bottom:1px solid var(--line);padding-bottom:.4rem}
ul.notifications time{color:var(--muted);font-variant-numeric:tabular-nums;font-size:.85rem}
ul.notifications li.resolved strong{color:var(--ok-text)}
.channels{display:flex;flex-wrap:wrap;gap:.3rem;margin-top:.2rem}.outcome{font-size:.75rem;padding:.05rem .45rem;border-radius:999px;border:1px solid var(--line)}
.outcome.delivered{color:var(--ok-text)}.outcome.queued{color:var(--warning-text)}.outcome.undeliverable,.outcome.expired,.outcome.dropped{color:var(--critical-text)}
.scroll{overflow-x:auto}td{overflow-wrap:anywhere}
form.login{max-width:360px;margin:12vh auto;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1.5rem;display:grid;gap:.75rem}
input,button{font:inherit;padding:.55rem .7rem;border-radius:6px;border:1px solid var(--line);background:var(--bg);color:var(--fg)}
button{background:var(--accent);border-color:var(--accent);color:#fff;cursor:pointer}
form.logout,form.run-tick{margin:0}form.run-tick button{padding:.25rem .6rem;font-size:.8rem}.notice{margin:0;padding:.6rem 1rem;border:1px solid var(--accent);border-radius:10px;background:var(--card)}code{overflow-wrap:anywhere}form.logout button{padding:.25rem .6rem;font-size:.8rem;background:transparent;color:var(--muted);border-color:var(--line)}
`;
