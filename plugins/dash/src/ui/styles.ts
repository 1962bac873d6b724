// The page's stylesheet: system fonts, one neutral palette with five status tones, light and dark.

export const CSS = `
:root{--bg:#f5f6f8;--panel:#fff;--text:#1b2330;--muted:#667281;--line:#e1e5ea;--accent:#3451b2;--code:#f0f2f5;
--good:#237a38;--good-bg:#e7f7eb;--bad:#b42323;--bad-bg:#fdecec;--warn:#9a5400;--warn-bg:#fff2dc;--info:#1d5fbf;--info-bg:#e6effd;--mute:#59636e;--mute-bg:#eceff2}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--panel:#1c2027;--text:#e3e7ec;--muted:#98a2ae;--line:#2d333c;--accent:#8da2ff;--code:#262b33;
--good:#6fd48a;--good-bg:#17301f;--bad:#ff8a8a;--bad-bg:#3a1d1f;--warn:#f3b865;--warn-bg:#3a2c15;--info:#86b4ff;--info-bg:#1a2a44;--mute:#a7b0ba;--mute-bg:#2a3038}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
code,time{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
code{background:var(--code);padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
td code{white-space:nowrap}
td.wrap code{white-space:normal}
header.top{display:flex;gap:14px;align-items:baseline;padding:12px 24px;background:var(--panel);border-bottom:1px solid var(--line)}
header.top .brand{font-weight:700;letter-spacing:.02em}
header.top .ws{color:var(--muted)}
header.top .spacer{flex:1}
#asof{color:var(--muted);font-size:12.5px}
#live{font-size:12px;padding:2px 8px;border-radius:10px;background:var(--mute-bg);color:var(--mute)}
#live[data-state=live]{background:var(--good-bg);color:var(--good)}
#live[data-state=live]::before{content:"● "}
#live[data-state=error]{background:var(--warn-bg);color:var(--warn)}
nav{display:flex;flex-wrap:wrap;gap:2px;padding:0 20px;background:var(--panel);border-bottom:1px solid var(--line)}
nav a{padding:9px 12px;color:var(--muted);text-decoration:none;border-bottom:2px solid transparent}
nav a:hover{color:var(--text)}
nav a[aria-current=page]{color:var(--accent);border-bottom-color:var(--accent);font-weight:600}
main{padding:18px 24px 40px;max-width:1500px}
h1{font-size:20px;margin:0 0 14px}
h2{font-size:15px;margin:0 0 10px}
h3{font-size:13.5px;margin:14px 0 6px;color:var(--muted)}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:0 0 16px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em;border-bottom:1px solid var(--line);padding:6px 8px;white-space:nowrap}
td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top}
tbody tr:hover{background:var(--bg)}
tr.killed td{background:var(--bad-bg)}
.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;margin-right:3px}
.good{--t:var(--good);--tb:var(--good-bg)}.bad{--t:var(--bad);--tb:var(--bad-bg)}.warn{--t:var(--warn);--tb:var(--warn-bg)}.info{--t:var(--info);--tb:var(--info-bg)}.muted{--t:var(--mute);--tb:var(--mute-bg)}
.badge{color:var(--t,var(--mute));background:var(--tb,var(--mute-bg))}
span.muted,p.muted{color:var(--muted)}
.tag{font-size:11.5px;margin-left:6px;padding:0 6px;border-radius:8px;background:var(--mute-bg);color:var(--mute)}
.tag.bad{background:var(--bad-bg);color:var(--bad)}
.detail,.ago,.hint,.meta{color:var(--muted)}
.ago{font-family:inherit}
time{white-space:nowrap}
a.product{color:var(--accent);font-weight:600;text-decoration:none;white-space:nowrap}
.stats{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 16px}
.stat{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:110px}
.stat dt{font-size:12px;color:var(--muted)}
.stat dd{margin:0;font-size:20px;font-weight:700;color:var(--t,var(--text))}
.panel .stats .stat{background:var(--bg)}
.problems{border-left:4px solid var(--warn);background:var(--warn-bg);padding:8px 12px;margin:0 0 12px;border-radius:4px}
.problems.corrupt{border-left-color:var(--bad);background:var(--bad-bg)}
.problems ul{margin:0;padding-left:18px}
.empty{color:var(--muted);font-style:italic}
ul.reasons{margin:0;padding-left:16px}
details summary{cursor:pointer;font-weight:600;margin:10px 0 6px}
.chart{margin:0}.chart figcaption{color:var(--muted);font-size:12px}
.duration-chart{width:100%;max-width:900px;height:auto}
.axis{stroke:var(--line)}.tick{fill:var(--muted);font-size:11px}
.bar{fill:var(--t,var(--mute))}
.dag svg{display:block}
.node rect{fill:var(--tb,var(--mute-bg));stroke:var(--t,var(--mute));stroke-width:1.5}
.node text{fill:var(--text);font-size:12px}
.node text.id{font-weight:700;font-family:ui-monospace,Menlo,monospace}
.node text.state{fill:var(--t);font-size:11px}
.edge{fill:none;stroke:var(--muted);stroke-width:1.4}
.arrowhead{fill:var(--muted)}
.lane{margin-top:6px}
.dossier{border:1px solid var(--line);border-left:4px solid var(--mute);border-radius:6px;padding:10px 14px;margin:8px 0;background:var(--panel)}
.dossier.lane-proven{border-left-color:var(--good)}.dossier.lane-failing{border-left-color:var(--bad)}.dossier.lane-in_progress{border-left-color:var(--info)}
.dossier header strong{font-size:14.5px}
.hypothesis{display:grid;grid-template-columns:110px 1fr;gap:3px 12px;margin:10px 0}
.hypothesis dt{color:var(--muted);font-size:12.5px}.hypothesis dd{margin:0}
.proofs{margin:6px 0 0;padding-left:22px}.proofs li{margin:4px 0}
.evidence{color:var(--muted);font-size:12.5px;margin-left:4px}
noscript p{background:var(--warn-bg);padding:10px}
`
