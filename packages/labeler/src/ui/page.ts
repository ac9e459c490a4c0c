/** The single HTML page; the app script renders everything else. */
export const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera labeler</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/app.css"></head>
<body><div id="app">Loading…</div><script type="module" src="/app.js"></script></body></html>`;

export const APP_CSS = `
*{box-sizing:border-box} body{margin:0;font:14px system-ui,sans-serif;background:#1e1f22;color:#ddd}
a{color:#8ab4f8} button{background:#3a3d44;color:#eee;border:1px solid #555;border-radius:4px;padding:4px 10px;cursor:pointer}
button:hover{background:#4a4e57} button.primary{background:#2f6fde;border-color:#2f6fde} button:disabled{opacity:.5}
input,select,textarea{background:#2b2d31;color:#eee;border:1px solid #555;border-radius:4px;padding:4px 6px}
.center{max-width:420px;margin:80px auto;display:flex;flex-direction:column;gap:8px}
.page{padding:16px;max-width:960px;margin:auto} .row{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.error{color:#ff8a80;white-space:pre-wrap} .muted{color:#999}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #333;padding:4px 8px;text-align:left}
#editor{display:grid;grid-template-columns:1fr 280px;grid-template-rows:auto 1fr auto;height:100vh}
#toolbar{grid-column:1/3;display:flex;gap:6px;padding:6px;background:#2b2d31;align-items:center;flex-wrap:wrap}
#stage{position:relative;overflow:hidden;background:#111} #stage canvas{position:absolute;left:0;top:0}
#side{overflow:auto;padding:8px;background:#25272b;border-left:1px solid #333}
#timeline{grid-column:1/3;padding:6px;background:#2b2d31;display:flex;gap:8px;align-items:center}
#timeline input[type=range]{flex:1}
.tool.active{background:#2f6fde} .obj{padding:3px 4px;border-radius:3px;cursor:pointer;display:flex;gap:6px;align-items:center}
.obj.sel{background:#3a4a6a} .swatch{width:10px;height:10px;display:inline-block;border-radius:2px}
#status{margin-left:auto} progress{width:120px}
`;
