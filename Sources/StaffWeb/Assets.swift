/// The one stylesheet, embedded: hospitals may be offline, so nothing is fetched from
/// elsewhere, and the system's own fonts carry Chinese.
enum Assets {
    static let stylesheet = """
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:#1d2330;background:#f5f6f8}
        header{background:#1f4e5f;color:#fff;padding:.5rem 1rem}
        header a{color:#fff;text-decoration:none}
        .top{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:.5rem}
        .brand{font-weight:600}
        nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin-top:.4rem}
        nav.new a{background:#2d6a7f;padding:.1rem .6rem;border-radius:.3rem}
        .right{display:flex;align-items:center;gap:.75rem}
        .who{opacity:.85}
        main{padding:1rem;max-width:72rem;margin:auto}
        h1{font-size:1.4rem;margin:.5rem 0 1rem}
        h2{font-size:1.15rem;margin-top:1.75rem}
        a{color:#1f5fa8}
        code{font-size:.9em}
        .card{background:#fff;border:1px solid #d8dde3;border-radius:.5rem;padding:1rem;max-width:40rem}
        .narrow{max-width:22rem}
        label{display:block;font-weight:600;margin-top:.6rem}
        label.check{display:inline;font-weight:400;margin-right:.6rem}
        input,select,textarea,button{font:inherit;padding:.35rem .5rem;border:1px solid #aab3bd;border-radius:.3rem;max-width:100%}
        input,textarea{width:100%}
        input[type=checkbox]{width:auto}
        .age select{margin-right:.5rem}
        button{background:#1f4e5f;color:#fff;border:0;margin-top:.8rem;cursor:pointer}
        button.reject{background:#8a2c2c}
        header button{margin:0;background:#2d6a7f}
        form.inline{display:inline}
        .field.has-error input,.field.has-error select,.field.has-error textarea,[aria-invalid=true]{border:2px solid #b3261e}
        .error{color:#b3261e;font-weight:600;margin:.2rem 0}
        .warning{background:#fff4d6;border:1px solid #e0b84c;padding:.5rem;border-radius:.3rem}
        .notice{background:#e3f4e6;border:1px solid #7cbf88;padding:.5rem;border-radius:.3rem}
        .hint,.muted{color:#5b6573;font-size:.9rem;margin:.15rem 0}
        .required{color:#b3261e}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.75rem}
        .tile{background:#fff;border:1px solid #d8dde3;border-radius:.5rem;padding:.8rem;text-decoration:none;color:inherit}
        .tile strong{display:block;font-size:1.8rem}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;background:#fff;width:100%}
        th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e7eb;vertical-align:top}
        table.fields th{width:14rem;color:#44505c}
        .filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:.5rem}
        .filters label{margin:0}
        .filters input{width:9rem}
        .filters button{margin:0}
        .status{padding:.05rem .45rem;border-radius:.8rem;font-size:.85rem;background:#e6e9ed;white-space:nowrap}
        .status.open{background:#fde8c8}.status.matched,.status.confirmed{background:#d8ecff}
        .status.reunited{background:#d5f0da}.status.disputed,.status.rejected{background:#f9d6d4}
        .status.retracted{background:#ddd;text-decoration:line-through}
        .candidates>li{background:#fff;border:1px solid #d8dde3;border-radius:.5rem;padding:.6rem;margin-bottom:.6rem}
        .reasons{margin:.3rem 0;padding-left:1.2rem;font-size:.95rem}
        .decide input[name=note]{width:14rem;margin-left:.3rem}
        .decide button{margin-right:.4rem}
        .history{padding-left:1.2rem}.history li{margin-bottom:.35rem}
        @media (max-width:40rem){table.fields th{width:auto}.filters input{width:100%}.filters label{width:100%}}
        """
}
