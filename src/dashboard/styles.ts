/**
 * The dashboard's only stylesheet, inlined and allowed by its hash in the CSP (no 'unsafe-inline',
 * no external fonts or CDN). Mobile first: one column, two from 760 px.
 */
export const DASHBOARD_CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1c2330;--muted:#5d6778;--line:#d9dee6;--ok:#1f9d55;--warning:#d97706;--critical:#dc2626;--accent:#2563eb}
@media (prefers-color-scheme:dark){:root{--bg:#0f141b;--card:#171e28;--fg:#e6ebf2;--muted:#9aa6b8;--line:#2a3442}}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between;padding:1rem 1.25rem;border-bottom:1px solid var(--line);background:var(--card)}
header h1{font-size:1.15rem;margin:0}header .meta{color:var(--muted);font-size:.85rem}
main{display:grid;gap:1rem;padding:1rem;grid-template-columns:1fr;max-width:1200px;margin:0 auto}
@media (min-width:760px){main{grid-template-columns:1fr 1fr}.wide{grid-column:1/-1}}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem;min-width:0}
h2{font-size:1rem;margin:0 0 .75rem}
.kpis{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}.kpis dl{margin:0;display:grid;grid-template-columns:auto auto;gap:.2rem .8rem}
dt{color:var(--muted)}dd{margin:0;font-variant-numeric:tabular-nums}
svg.chart{width:100%;height:auto}svg.gauge{width:190px;height:auto}
.grid{stroke:var(--line);stroke-width:1}.axis{fill:var(--muted);font-size:11px}
.guide line{stroke:var(--warning);stroke-dasharray:4 4;opacity:.7}.guide text{fill:var(--warning);font-size:10px}
.area{fill:var(--accent);opacity:.12}.line{fill:none;stroke:var(--accent);stroke-width:2.5}
.projection{fill:none;stroke:var(--accent);stroke-width:2;stroke-dasharray:6 5;opacity:.8}.projection-label{fill:var(--accent);font-size:12px;font-weight:600}.now{stroke:var(--muted);stroke-dasharray:2 4;opacity:.6}.dot{fill:var(--accent)}
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
.empty{color:var(--muted);margin:0}.error{color:var(--critical)}
form.login{max-width:360px;margin:12vh auto;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1.5rem;display:grid;gap:.75rem}
input,button{font:inherit;padding:.55rem .7rem;border-radius:6px;border:1px solid var(--line);background:var(--bg);color:var(--fg)}
button{background:var(--accent);border-color:var(--accent);color:#fff;cursor:pointer}
form.logout{margin:0}form.logout button{padding:.25rem .6rem;font-size:.8rem;background:transparent;color:var(--muted);border-color:var(--line)}
`;
