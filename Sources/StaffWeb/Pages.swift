import LedgerCore
import LedgerStore
import NodeReading

/// What every page needs: the words, who is signed in, and where the page is (for the
/// language switch to come back to).
struct PageContext: Sendable {
    let t: Words
    let staff: String?
    let formToken: String?
    let nodeName: String
    /// This page's path and query.
    let here: String
}

/// The pages, as pure functions of what the handlers read. No I/O here.
enum Pages {
    static func layout(_ c: PageContext, title: String, _ body: HTML) -> HTML {
        let t = c.t
        let other: Language = t.language == .zh ? .en : .zh
        let switchLink = "/language?to=\(other.rawValue)&back=\(URLText.query(c.here))"
        var nav: HTML = ""
        var account: HTML = ""
        if let staff = c.staff {
            nav = """
                <nav><a href="/">\(t("概况", "Dashboard"))</a><a href="/review">\(t("待复核", "Review"))</a><a href="/cases">\(t.group(.cases))</a>\
                <a href="/found">\(t.group(.found))</a><a href="/sightings">\(t.group(.sightings))</a>\
                <a href="/matches">\(t.group(.matches))</a><a href="/reunions">\(t.group(.reunions))</a>\
                <a href="/peers">\(t("同步", "Peers"))</a></nav>
                <nav class="new"><a href="/new/found">+ \(t("登记被找到的孩子", "Record a found child"))</a>\
                <a href="/new/case">+ \(t("登记寻亲案件", "Report an abduction"))</a>\
                <a href="/new/sighting">+ \(t("登记线索", "Record a sighting"))</a></nav>
                """
            account = """
                <form method="post" action="/logout" class="inline">\(csrf(c))\
                <span class="who">\(staff)</span> <button type="submit" id="logout">\(t("退出", "Sign out"))</button></form>
                """
        }
        return """
            <!doctype html>
            <html lang="\(t.language == .zh ? "zh-CN" : "en")">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · reunite</title><link rel="stylesheet" href="/assets/style.css"></head>
            <body><header><div class="top"><a class="brand" href="/">reunite · \(c.nodeName)</a>\
            <span class="right"><a id="language" href="\(switchLink)">\(other.ownName)</a> \(account)</span></div>
            \(nav)</header>
            <main><h1>\(title)</h1>
            \(body)</main></body></html>
            """
    }

    static func csrf(_ c: PageContext) -> HTML {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(c.formToken ?? "")\">"
    }

    static func login(_ c: PageContext, name: String, next: String, error: String?) -> HTML {
        let t = c.t
        return layout(
            c, title: t("工作人员登录", "Staff sign-in"),
            """
            \(error.map { "<p class=\"error\" id=\"login-error\">\($0)</p>" as HTML } ?? "")
            <form method="post" action="/login" class="card narrow">
            <input type="hidden" name="next" value="\(next)">
            <label for="name">\(t("用户名", "Name"))</label><input id="name" name="name" value="\(name)" required autocomplete="username">
            <label for="password">\(t("密码", "Password"))</label><input id="password" name="password" type="password" required autocomplete="current-password">
            <button type="submit" id="sign-in">\(t("登录", "Sign in"))</button>
            </form>
            <p class="muted">\(t("没有账号？请节点管理员运行：reunite staff add 名字", "No account? Ask the node's administrator to run: reunite staff add NAME"))</p>
            """)
    }

    struct Dashboard: Sendable {
        var openCases = 0
        var openFound = 0
        var disputed = 0
        var awaitingReunion = 0
        var reunionsThisYear = 0
        /// Found children whose best candidate waits for review; nil until first counted.
        var toReview: Int?
        var year = 0
        var peers: [Peer] = []
        var behind: [NodeID: UInt64] = [:]
    }

    static func dashboard(_ c: PageContext, _ d: Dashboard) -> HTML {
        let t = c.t
        let tiles: [(String, String, String, String)] = [
            (t("寻找中的案件", "Open cases"), "\(d.openCases)", "/cases?status=open", "open-cases"),
            (t("待认亲的孩子", "Found children not yet matched"), "\(d.openFound)", "/found?status=open", "open-found"),
            (
                t("待复核的可能匹配", "Candidate matches to review"), d.toReview.map(String.init) ?? "…", "/review",
                "to-review"
            ),
            (t("有争议的比对", "Disputed matches"), "\(d.disputed)", "/matches?status=disputed", "disputed"),
            (
                t("已确认、待团聚的比对", "Confirmed matches awaiting reunion"), "\(d.awaitingReunion)",
                "/matches?status=confirmed", "awaiting-reunion"
            ),
            (t("\(d.year) 年团聚", "Reunions in \(d.year)"), "\(d.reunionsThisYear)", "/reunions", "reunions-year"),
        ]
        return layout(
            c, title: t("概况", "Dashboard"),
            """
            <div class="tiles">\(tiles.map { label, count, link, id in
                "<a class=\"tile\" href=\"\(link)\" id=\"\(id)\"><strong>\(count)</strong><span>\(label)</span></a>" as HTML
            })</div>
            <h2>\(t("同步", "Peers"))</h2>
            \(peerTable(c, d.peers, behind: d.behind))
            """)
    }

    static func peerTable(_ c: PageContext, _ peers: [Peer], behind: [NodeID: UInt64]) -> HTML {
        let t = c.t
        guard !peers.isEmpty else {
            return
                "<p class=\"muted\">\(t("还没有信任的节点：reunite peers add", "No trusted peers yet: reunite peers add"))</p>"
        }
        let rows: [HTML] = peers.map { peer in
            let last = peer.lastSyncAt.map { HybridTimestamp(milliseconds: $0, counter: 0).description }
            return """
                <tr><td>\(peer.name)\(peer.pullOnly ? t("（只拉取）", " (pull-only)") : "")</td>\
                <td><code>\(String(peer.nodeID.hex.prefix(12)))</code></td><td>\(peer.url ?? "")</td>\
                <td>\(last ?? t("从未", "never"))</td><td>\(peer.lastSyncResult ?? "")</td>\
                <td>\(behind[peer.nodeID].map(String.init) ?? "?")</td></tr>
                """
        }
        return """
            <div class="scroll"><table id="peers"><thead><tr><th>\(t("名称", "Name"))</th><th>\(t("节点", "Node"))</th>\
            <th>\(t("地址", "Address"))</th><th>\(t("上次同步", "Last sync"))</th><th>\(t("结果", "Result"))</th>\
            <th>\(t("对方缺少的事件", "Events it lacks"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    /// Found children not yet matched, each with its best candidate case, strongest first.
    static func review(
        _ c: PageContext, _ pairs: [(found: Record, candidate: ListedCandidate, record: Record?)], complete: Bool
    ) -> HTML {
        let t = c.t
        let rows: [HTML] = pairs.map { found, candidate, other in
            let reasons = (t.language == .zh ? candidate.chineseReasons : candidate.reasons).prefix(3)
            return """
                <tr><td><a href="/records/\(found.id.hex)"><code>\(found.id.short)</code></a><br>\(t.summary(of: found))</td>\
                <td><a href="/records/\(candidate.id.hex)"><code>\(candidate.id.short)</code></a><br>\(other.map { t.summary(of: $0) } ?? "")</td>\
                <td><strong>\(String(format: "%.1f", candidate.score))</strong>\(candidate.chance.map { " · " + $0 } ?? "")</td>\
                <td>\(reasons.joined(separator: "；"))</td></tr>
                """
        }
        let state: HTML =
            complete
            ? "<p class=\"muted\" id=\"review-complete\">\(t("共 \(pairs.count) 对。在被找到的孩子页面上确认或排除。", "\(pairs.count) pairs. Confirm or reject each on the found child's page."))</p>"
            : "<p class=\"notice\" id=\"review-updating\">\(t("正在按最新记录重新计算，请稍后刷新。", "Being worked out again for the latest records: reload in a moment."))</p>"
        return layout(
            c, title: t("待复核的可能匹配", "Candidate matches to review"),
            """
            <p class="muted">\(t("尚未认亲的孩子中，最可能的案件可能性在 10% 以上、且还没有人决定的，可能性高的在前。", "Found children not yet matched whose most likely case has a chance of 10 % or more, with no decision yet, likeliest first."))</p>
            \(state)
            <div class="scroll"><table id="review"><thead><tr><th>\(t.label("foundId"))</th><th>\(t.label("caseId"))</th>\
            <th>\(t("得分 / 可能性", "Score / chance"))</th><th>\(t("依据", "Reasons"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """)
    }

    static func peers(_ c: PageContext, _ peers: [Peer], behind: [NodeID: UInt64]) -> HTML {
        layout(c, title: c.t("同步", "Peers"), peerTable(c, peers, behind: behind))
    }

    // MARK: Lists

    /// The columns of each list: the fields people scan for.
    static func columns(_ group: RecordGroup) -> [Field] {
        switch group {
        case .cases: [.childName, .sex, .born, .missingSince, .place]
        case .found: [.name, .sex, .ageMonths, .foundOn, .place, .custody]
        case .sightings: [.seenOn, .place, .description]
        case .matches: [.caseId, .foundId, .decidedBy, .evidence]
        case .reunions: [.caseId, .foundId, .on, .place]
        }
    }

    static func list(
        _ c: PageContext, group: RecordGroup, rows: [(Record, RecordStatus)], total: Int, filters: FormData,
        error: String?
    ) -> HTML {
        let t = c.t
        let columns = columns(group)
        let statuses: [RecordStatus] =
            switch group {
            case .cases, .found: [.open, .matched, .reunited, .disputed, .retracted]
            case .matches: [.confirmed, .rejected, .disputed, .retracted]
            case .sightings, .reunions: [.recorded, .retracted]
            }
        let statusOptions: [HTML] = statuses.map { status in
            "<option value=\"\(status.rawValue)\"\(filters["status"] == status.rawValue ? " selected" : "")>\(t.status(status))</option>"
        }
        let sexFilter: HTML =
            group == .cases || group == .found
            ? """
            <label>\(t.label("sex"))<select name="sex"><option value="">\(t("全部", "any"))</option>\
            \(["male", "female", "unknown"].map { value in
                "<option value=\"\(value)\"\(filters["sex"] == value ? " selected" : "")>\(t.sex(value))</option>" as HTML
            })</select></label>
            """ : ""
        let body: [HTML] = rows.map { record, status in
            let cells: [HTML] = columns.map { field in
                if let id = record.fields.record(field) {
                    return "<td><a href=\"/records/\(id.hex)\"><code>\(id.short)</code></a></td>"
                }
                return "<td>\(display(record, field, t))</td>"
            }
            return """
                <tr><td><a href="/records/\(record.id.hex)"><code>\(record.id.short)</code></a></td>\
                <td><span class="status \(status.rawValue)">\(t.status(status))</span></td>\(cells)</tr>
                """
        }
        let shown =
            rows.count < total
            ? t(
                "显示前 \(rows.count) 条，共 \(total) 条；请缩小搜索范围",
                "showing the first \(rows.count) of \(total); narrow the search")
            : t("共 \(total) 条", "\(total) records")
        return layout(
            c, title: t.group(group),
            """
            \(error.map { "<p class=\"error\" id=\"filter-error\">\($0)</p>" as HTML } ?? "")
            <form method="get" action="/\(group.rawValue)" class="filters" id="filters">
            <label>\(t("搜索", "Search"))<input name="q" id="q" value="\(filters["q"] ?? "")" placeholder="\(t("名字、地点、特征……", "name, place, marks…"))"></label>
            <label>\(t("地点", "Place"))<input name="place" value="\(filters["place"] ?? "")"></label>
            <label>\(t("状态", "Status"))<select name="status"><option value="">\(t("全部", "any"))</option>\(statusOptions)</select></label>
            \(sexFilter)
            <label>\(t("从", "From"))<input name="from" value="\(filters["from"] ?? "")" placeholder="2010"></label>
            <label>\(t("到", "To"))<input name="to" value="\(filters["to"] ?? "")" placeholder="2024-06"></label>
            <button type="submit" id="search">\(t("搜索", "Search"))</button>
            </form>
            <p class="muted" id="count">\(shown)</p>
            <div class="scroll"><table id="records"><thead><tr><th>\(t("编号", "ID"))</th><th>\(t("状态", "Status"))</th>\
            \(columns.map { "<th>\(t.label($0.name))</th>" as HTML })</tr></thead><tbody>\(body)</tbody></table></div>
            """)
    }

    static func display(_ record: Record, _ field: Field, _ t: Words) -> String {
        guard let value = record.fields[field] else { return "" }
        switch value {
        case .sex: return t.sex(value.displayText)
        case .evidence(let items): return items.map { t.evidence($0.name) }.joined(separator: "、")
        case .months(let months) where field == .ageMonths: return ageText(months, t)
        default: return value.displayText
        }
    }

    static func ageText(_ months: UInt64, _ t: Words) -> String {
        let years = months / 12
        let rest = months % 12
        if years == 0 { return t("\(rest) 个月", "\(rest) months") }
        return rest == 0 ? t("\(years) 岁", "\(years) years") : t("\(years) 岁 \(rest) 个月", "\(years) y \(rest) m")
    }

    // MARK: Recording forms

    static func newRecord(
        _ c: PageContext, kind: EventKind, values: FormData, errors: [String: String], general: String?
    ) -> HTML {
        let t = c.t
        let title =
            switch kind {
            case .abductionReported: t("登记寻亲案件", "Report an abduction")
            case .childFound: t("登记被找到的孩子", "Record a found child")
            default: t("登记线索", "Record a sighting")
            }
        let path =
            switch kind {
            case .abductionReported: "case"
            case .childFound: "found"
            default: "sighting"
            }
        let inputs: [HTML] = FormField.form(for: kind).map { input($0, values: values, error: errors[$0.name], t) }
        return layout(
            c, title: title,
            """
            \(general.map { "<p class=\"error\" id=\"form-error\">\($0)</p>" as HTML } ?? "")
            <form method="post" action="/new/\(path)" class="card record-form" id="record-form" novalidate>\(csrf(c))
            \(inputs)
            <button type="submit" id="save">\(t("保存", "Save"))</button>
            </form>
            """)
    }

    static func input(_ field: FormField, values: FormData, error: String?, _ t: Words) -> HTML {
        let name = field.name
        let value = values[name] ?? ""
        let invalid: HTML = error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(name)-error\""
        let control: HTML
        switch field.input {
        case .line, .coordinate, .number:
            let mode: HTML = field.input == .line ? "" : " inputmode=\"decimal\""
            control = "<input id=\"\(name)\" name=\"\(name)\" value=\"\(value)\"\(mode)\(invalid)>"
        case .date:
            control =
                "<input id=\"\(name)\" name=\"\(name)\" value=\"\(value)\" placeholder=\"YYYY-MM-DD\" inputmode=\"numeric\"\(invalid)>"
        case .paragraph, .dna:
            control = "<textarea id=\"\(name)\" name=\"\(name)\" rows=\"3\"\(invalid)>\(value)</textarea>"
        case .sex:
            control = select(name, value, [("", "—")] + ["male", "female", "unknown"].map { ($0, t.sex($0)) }, invalid)
        case .bloodType:
            let types = ["A", "B", "AB", "O", "A+", "B+", "AB+", "O+", "A-", "B-", "AB-", "O-"]
            control = select(name, value, [("", "—")] + types.map { ($0, $0) }, invalid)
        case .age:
            let years = values["ageYears"] ?? ""
            let months = values["ageExtraMonths"] ?? ""
            control = """
                <span class="age" id="\(name)">\
                \(select("ageYears", years, [("", "—")] + (0...17).map { (String($0), t("\($0) 岁", "\($0) years")) }, invalid))\
                \(select("ageExtraMonths", months, [("", "—")] + (0...11).map { (String($0), t("\($0) 个月", "\($0) months")) }, invalid))\
                </span>
                """
        case .ageUncertainty:
            control = select(
                name, value, [("", "—")] + ["1", "3", "6", "12", "24", "36"].map { ("\($0)", "± \($0)") }, invalid)
        }
        let mark: HTML = field.required ? " <span class=\"required\">*</span>" : ""
        let label: HTML =
            field.input == .age
            ? "<label for=\"ageYears\">\(t.label(name))\(mark)</label>"
            : "<label for=\"\(name)\">\(t.label(name))\(mark)</label>"
        return """
            <div class="field\(error == nil ? "" : " has-error")">\(label)\(control)\
            \(error.map { "<p class=\"error\" id=\"\(name)-error\">\($0)</p>" as HTML } ?? "")\
            \(field.hint(t).map { "<p class=\"hint\">\($0)</p>" as HTML } ?? "")</div>
            """
    }

    static func select(_ name: String, _ value: String, _ options: [(String, String)], _ extra: HTML) -> HTML {
        let items: [HTML] = options.map { option, label in
            "<option value=\"\(option)\"\(option == value ? " selected" : "")>\(label)</option>"
        }
        return "<select id=\"\(name)\" name=\"\(name)\"\(extra)>\(items)</select>"
    }
}

/// Percent-encoding for a value placed in a query string.
enum URLText {
    static func query(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
