/// `/console/console.css`: the console's only stylesheet, light and dark (`prefers-color-scheme`). A string literal
/// rather than a SwiftPM resource: it compiles in no time and ships inside the binary.
enum ConsoleStylesheet {
    static let text = #"""
        :root{--bg:#f7f8fa;--fg:#1c2330;--muted:#5d6778;--panel:#fff;--line:#d9dee7;--accent:#2457c5;
        --ok:#1b7a3d;--ok-bg:#e3f4e8;--bad:#b3261e;--bad-bg:#fbe4e2;--run:#1f5fbf;--run-bg:#e2ecfb;
        --wait:#8a5a00;--wait-bg:#fdf0d5;--idle:#5d6778;--idle-bg:#eceff3;--retry:#a24a00;--retry-bg:#fde7d6;
        --cancel:#6b4f8a;--cancel-bg:#efe8f6;--code:#eef1f5;color-scheme:light dark}
        @media (prefers-color-scheme:dark){:root{--bg:#12151b;--fg:#e3e7ee;--muted:#9aa3b2;--panel:#1b2029;
        --line:#2e3542;--accent:#7aa7ff;--ok:#5fd08a;--ok-bg:#173322;--bad:#ff8a80;--bad-bg:#3d1b19;--run:#7fb0ff;
        --run-bg:#182a47;--wait:#f2c261;--wait-bg:#3a2e12;--idle:#a3acba;--idle-bg:#262c36;--retry:#ffad6b;
        --retry-bg:#3d2613;--cancel:#c6a8ea;--cancel-bg:#2c2239;--code:#232a35}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        a{color:var(--accent)}
        code,pre,.num{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.9em}
        header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1.2rem;padding:.6rem 1.2rem;
        background:var(--panel);border-bottom:1px solid var(--line)}
        .brand{font-weight:700;text-decoration:none;color:var(--fg);letter-spacing:.02em}
        nav{display:flex;flex-wrap:wrap;gap:.2rem}
        nav a{padding:.25rem .6rem;border-radius:6px;text-decoration:none;color:var(--muted)}
        nav a:hover{background:var(--code)}
        nav a[aria-current=page]{background:var(--code);color:var(--fg);font-weight:600}
        .live{margin-left:auto;font-size:.85em;padding:.15rem .6rem;border-radius:99px;background:var(--idle-bg);color:var(--idle)}
        .live::before{content:"● "}
        .live[data-state=live]{background:var(--ok-bg);color:var(--ok)}
        .live[data-state=reconnecting]{background:var(--wait-bg);color:var(--wait)}
        main{padding:1rem 1.2rem 2rem;max-width:1400px}
        h1{font-size:1.4rem;margin:.2rem 0 1rem}
        h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
        h3{font-size:1rem;margin:0 0 .4rem}
        footer{padding:.6rem 1.2rem;border-top:1px solid var(--line);color:var(--muted)}
        footer code{background:var(--code);padding:.1rem .4rem;border-radius:4px;user-select:all}
        .muted{color:var(--muted)}
        .scroll{overflow-x:auto;background:var(--panel);border:1px solid var(--line);border-radius:8px}
        table{border-collapse:collapse;width:100%}
        th,td{text-align:left;padding:.45rem .7rem;border-bottom:1px solid var(--line);vertical-align:top}
        th{font-size:.8em;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);background:var(--panel)}
        tbody tr:last-child td{border-bottom:0}
        tbody tr:hover{background:var(--code)}
        td.num,th.num{text-align:right;white-space:nowrap}
        table.compact{width:auto;background:var(--panel);border:1px solid var(--line);border-radius:8px}
        .badge{display:inline-block;padding:.05rem .55rem;border-radius:99px;font-size:.82em;font-weight:600;
        background:var(--idle-bg);color:var(--idle);white-space:nowrap}
        .s-completed{background:var(--ok-bg);color:var(--ok)}
        .s-failed{background:var(--bad-bg);color:var(--bad)}
        .s-running{background:var(--run-bg);color:var(--run)}
        .s-waiting{background:var(--wait-bg);color:var(--wait)}
        .s-retrying{background:var(--retry-bg);color:var(--retry)}
        .s-cancelled{background:var(--cancel-bg);color:var(--cancel)}
        .s-skipped{text-decoration:line-through}
        tr.flash{animation:flash 1.5s ease-out}
        @keyframes flash{from{background:var(--run-bg)}to{background:transparent}}
        form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin-bottom:1rem}
        label{display:inline-flex;flex-direction:column;font-size:.85em;color:var(--muted);gap:.15rem}
        input,select,textarea,button{font:inherit;color:var(--fg);background:var(--panel);border:1px solid var(--line);
        border-radius:6px;padding:.35rem .55rem}
        textarea{width:100%;min-height:6rem;font-family:ui-monospace,Menlo,monospace}
        button{cursor:pointer;background:var(--code);font-weight:600}
        button:hover{border-color:var(--accent)}
        button.approve{background:var(--ok-bg);color:var(--ok);border-color:var(--ok)}
        button.danger{background:var(--bad-bg);color:var(--bad);border-color:var(--bad)}
        form.inline{display:inline}
        .actions{display:flex;gap:.6rem;margin-top:.8rem}
        .pager{margin:.8rem 0;display:flex;gap:1rem}
        .notice{background:var(--ok-bg);color:var(--ok);padding:.5rem .8rem;border-radius:6px}
        .error{background:var(--panel);border:1px solid var(--bad);border-radius:8px;padding:1rem 1.2rem;max-width:50rem}
        .error .code{font-weight:700;color:var(--bad);margin-top:0}
        .error-text{color:var(--bad);white-space:pre-wrap;margin:.3rem 0}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
        dt{color:var(--muted)}
        dd{margin:0}
        .summary,.facts,.approval,.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.9rem 1.1rem}
        .approval{margin-bottom:.9rem;max-width:60rem}
        .approval form{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin-top:.8rem}
        .approval input[name=comment]{min-width:18rem}
        .message{font-size:1.05em;margin:.2rem 0 .6rem}
        progress{vertical-align:middle;width:8rem}
        .cards{display:flex;flex-wrap:wrap;gap:.7rem;margin-bottom:1rem}
        .card{display:flex;flex-direction:column;gap:.2rem;min-width:8.5rem;padding:.7rem .9rem;background:var(--panel);
        border:1px solid var(--line);border-radius:8px;text-decoration:none;color:var(--fg)}
        .card .count{font-size:1.6rem;font-weight:700}
        .card .label{color:var(--muted);font-size:.85em}
        .card .badge{align-self:flex-start}
        pre{margin:0;white-space:pre-wrap;word-break:break-word}
        pre.json,pre.diagnostic{background:var(--code);padding:.5rem .7rem;border-radius:6px;max-height:24rem;overflow:auto}
        td.detail{max-width:42rem}
        .io{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
        ul.decisions,ul.load-errors{padding-left:1.2rem}
        .graph-wrap{overflow:auto;background:var(--panel);border:1px solid var(--line);border-radius:8px;max-height:80vh}
        svg.graph{display:block}
        svg .group{fill:var(--code);stroke:var(--line);stroke-dasharray:5 4}
        time{white-space:nowrap}
        svg .edge{fill:none;stroke:var(--muted);stroke-width:1.4;opacity:.7}
        svg .arrowhead{fill:var(--muted)}
        svg .node .box,svg .node .stack{fill:var(--idle-bg);stroke:var(--idle);stroke-width:1.5}
        svg .node .stack{opacity:.6}
        svg .node text{fill:var(--fg);font-size:13px}
        svg .node .label{font-weight:600;font-family:ui-monospace,Menlo,monospace}
        svg .node .meta{font-size:11.5px;fill:var(--muted)}
        svg .node .items{font-size:12px;font-weight:600;text-anchor:end;font-family:ui-monospace,Menlo,monospace}
        svg .node a:hover .box{stroke-width:2.5}
        svg .node[data-status=completed] .box,svg .node[data-status=completed] .stack{fill:var(--ok-bg);stroke:var(--ok)}
        svg .node[data-status=failed] .box,svg .node[data-status=failed] .stack{fill:var(--bad-bg);stroke:var(--bad)}
        svg .node[data-status=running] .box,svg .node[data-status=running] .stack{fill:var(--run-bg);stroke:var(--run)}
        svg .node[data-status=waiting] .box,svg .node[data-status=waiting] .stack{fill:var(--wait-bg);stroke:var(--wait)}
        svg .node[data-status=retrying] .box,svg .node[data-status=retrying] .stack{fill:var(--retry-bg);stroke:var(--retry)}
        svg .node[data-status=skipped] .box{stroke-dasharray:4 3}
        svg .node[data-status=skipped] text{opacity:.7}
        svg .node[data-status=running] .box{stroke-width:2.5}
        .empty{color:var(--muted)}
        form.panel{max-width:44rem;margin-bottom:1rem}
        form.panel label{display:flex;margin:.2rem 0 .7rem}
        form.panel p.muted{margin:-.5rem 0 .7rem;font-size:.85em}
        table.diff{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.85em}
        table.diff td{padding:0 .5rem;border:0;white-space:pre-wrap;word-break:break-word}
        table.diff td.ln{width:1%;text-align:right;color:var(--muted);user-select:none;white-space:nowrap}
        table.diff td.mark{width:1%;user-select:none}
        table.diff tr.d-added td{background:var(--ok-bg)}
        table.diff tr.d-added td.mark,table.diff tr.d-added td.text{color:var(--ok)}
        table.diff tr.d-removed td{background:var(--bad-bg)}
        table.diff tr.d-removed td.mark,table.diff tr.d-removed td.text{color:var(--bad)}
        table.diff tr.d-hunk td{background:var(--run-bg);color:var(--run);padding:.15rem .5rem}
        tr[data-current] td{font-weight:600}
        .dry-result{margin-top:1rem;display:flex;flex-direction:column;gap:.6rem}
        .dry-result h3 .badge{margin-left:.4rem}
        p.items{margin:.2rem 0}
        @media (max-width:700px){main{padding:.8rem}th,td{padding:.35rem .45rem}}
        """#
}
