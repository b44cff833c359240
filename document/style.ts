/**
 * The report's stylesheet: readable from a phone to a 1280 px screen to A4 paper. Nothing may run off the right edge:
 * code spans (ARNs, Terraform addresses) and policy lines wrap anywhere, words where they must, `auto` tables become cards below 600 px (phones), `cards` tables are cards everywhere, drawings scale to the column. The browser test
 * (test/browser/) measures all three.
 */
const CARDS = `
table.X,table.X tbody,table.X tr,table.X th,table.X td{display:block;width:auto}
table.X thead{display:none}
table.X tr{border:1px solid var(--line);border-radius:4px;margin:0 0 .5rem;padding:.25rem .5rem;break-inside:avoid}
table.X tr:nth-child(even) td{background:none}
table.X th[scope=row]{border:0;background:none;padding:.15rem 0;font-weight:600}
table.X td{border:0;padding:.1rem 0 .1rem 1rem}
table.X td:empty{display:none}
table.X td::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}
`;

export const STYLE = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--head:#f6f8fa;--code:#eff1f3;--pass:#116329;--fail:#cf222e;--supp:#9a6700}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);max-width:1240px;margin:0 auto;padding:1rem 1.25rem 3rem;overflow-wrap:break-word}
h1{font-size:1.7rem;margin:.5rem 0;border-bottom:2px solid #444}
h2{font-size:1.4rem;border-bottom:1px solid var(--line);margin-top:2.5rem}
h3{font-size:1.15rem;margin-top:2rem}h4{font-size:1rem;margin:1.5rem 0 .5rem}
a{color:#0550ae}
header p{margin:.25rem 0}
code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);padding:0 3px;border-radius:3px;overflow-wrap:anywhere}
pre{background:var(--head);border:1px solid var(--line);padding:.6rem .75rem;white-space:pre-wrap;overflow-wrap:anywhere}
pre code{background:none;padding:0}
table{border-collapse:collapse;width:100%;margin:.75rem 0;font-size:13px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--head)}
tbody th{font-weight:normal}
tr:nth-child(even) td,tr:nth-child(even) th[scope=row]{background:#fbfbfc}
.status.pass{color:var(--pass);font-weight:600}.status.fail{color:var(--fail);font-weight:600}
.status.suppressed{color:var(--supp);font-weight:600}.status.na{color:var(--muted)}
nav.toc{border:1px solid var(--line);background:var(--head);border-radius:6px;padding:.5rem 1rem;margin:1rem 0;font-size:14px}
nav.toc .toc-title{font-weight:600;margin:0 0 .25rem}
nav.toc ol{margin:0;padding-left:1.25rem}nav.toc ol ol{columns:2 22rem;column-gap:2rem}
nav.toc li{break-inside:avoid}nav.toc .toc-sub{color:var(--muted);font-size:13px}
.group{border-left:3px solid var(--line);padding:.1rem 0 .1rem .9rem;margin:1rem 0}
.group > p:first-child{margin-top:.25rem}.group ul{padding-left:1.1rem;margin:.25rem 0}
.panels{columns:2 30rem;column-gap:1.25rem;margin:.25rem 0}
.panels > .group{margin:0 0 .4rem;break-inside:avoid}main > section:first-child > h2{margin-top:.5rem}
.panels tbody th{white-space:nowrap}.panels h3{font-size:1rem;margin:.2rem 0 .1rem}.panels p{margin:.2rem 0}
.panels table{margin:.2rem 0;font-size:12.5px}.panels th,.panels td{padding:2px 6px}
figure{margin:1rem 0}figure svg{display:block;width:100%;height:auto;max-width:var(--natural-width,100%)}
figcaption{color:var(--muted);font-size:13px;margin-top:.25rem}
.legend{display:inline-block;width:1.6em;height:0;border-top:3px solid;vertical-align:middle;margin-right:.3em}
${CARDS.replace(/X/g, "cards")}
table.cards tbody{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,21rem),1fr));gap:.5rem}
table.cards tr{margin:0}
@media (max-width:600px){
body{padding:.75rem .75rem 2rem;font-size:14px}
nav.toc ol ol{columns:1}
${CARDS.replace(/X/g, "auto")}
}
@page{size:A4;margin:14mm 12mm}
@media print{
body{max-width:none;padding:0;font-size:10pt}
table{font-size:8.5pt}th,td{padding:3px 5px}code{font-size:8pt}
a{color:inherit;text-decoration:none}
nav.toc{background:none}
h2,h3,h4{break-after:avoid}
tr,figure{break-inside:avoid}
pre{break-inside:auto;font-size:8pt}
table.cards tbody{display:block;columns:3;column-gap:.4rem}
table.cards tr{padding:.15rem .35rem;margin:0 0 .3rem}table.cards td{padding-left:.5rem}
thead{display:table-header-group}
}
`;
