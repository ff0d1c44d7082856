import LedgerCore
import LedgerStore
import NodeReading

/// Everything the record page shows, read by the handler.
struct RecordView: Sendable {
    let record: Record
    let status: RecordStatus
    let history: [Event]
    /// Other records naming the same birth-certificate serial.
    let sharedCertificate: [EventID]
    let candidates: [(candidate: ListedCandidate, record: Record?)]
    /// Match decisions, reunions and sightings that name this record.
    let related: [(record: Record, status: RecordStatus)]
    /// Children confirmed as this record's partner, for the reunion form.
    let confirmedPartners: [Record]
    /// What this node and its peers are called, to say where each event was recorded.
    let nodeNames: [NodeID: String]
}

/// A failed form on the record page: which form, and what to say above it.
struct FormProblem: Sendable {
    let form: String
    let message: String
    let values: FormData
}

extension Pages {
    static func record(_ c: PageContext, _ v: RecordView, saved: Bool, problem: FormProblem?) -> HTML {
        let t = c.t
        let record = v.record
        let title = "\(t.kind(record.kind)) \(record.id.short)"
        let fields: [HTML] = record.fields.sorted.map { field, _ in
            let value: HTML =
                if let id = record.fields.record(field) {
                    "<a href=\"/records/\(id.hex)\"><code>\(id.short)</code></a>"
                } else {
                    "\(display(record, field, t))"
                }
            return "<tr><th>\(t.label(field.name))</th><td id=\"field-\(field.name)\">\(value)</td></tr>"
        }
        var sections: [HTML] = []
        if saved { sections.append("<p class=\"notice\" id=\"saved\">\(t("已保存。", "Saved."))</p>") }
        sections.append(
            """
            <table class="fields" id="fields"><tr><th>\(t("状态", "Status"))</th>\
            <td><span class="status \(v.status.rawValue)" id="status">\(t.status(v.status))</span></td></tr>\(fields)\
            <tr><th>\(t("登记时间", "Recorded"))</th><td>\(record.createdAt.description) · \
            \(node(record.origin, v.nodeNames, t))</td></tr></table>
            """)
        for other in v.sharedCertificate {
            sections.append(
                """
                <p class="warning">\(t("警告：同一出生证明编号也登记在", "Warning: the same birth certificate serial is recorded for")) \
                <a href="/records/\(other.hex)"><code>\(other.short)</code></a>\(t("：可能是同一个孩子登记了两次，或证件是伪造的。", ": one child recorded twice, or a forged certificate."))</p>
                """)
        }
        if record.kind.describesChild, !record.retracted {
            sections.append(candidates(c, v, problem: problem))
            if !v.confirmedPartners.isEmpty && v.status != .reunited {
                sections.append(reunionForm(c, v, problem: problem))
            }
        }
        if !v.related.isEmpty {
            let rows: [HTML] = v.related.map { other, status in
                """
                <li><a href="/records/\(other.id.hex)">\(t.kind(other.kind)) <code>\(other.id.short)</code></a> \
                <span class="status \(status.rawValue)">\(t.status(status))</span> \(other.text(.decidedBy)) \(other.text(.on))</li>
                """
            }
            sections.append("<h2>\(t("相关记录", "Related records"))</h2><ul id=\"related\">\(rows)</ul>")
        }
        sections.append(history(c, v.history, nodeNames: v.nodeNames))
        if !record.retracted {
            sections.append(correctForm(c, record, problem: problem))
            sections.append(retractForm(c, record, problem: problem))
        }
        return layout(c, title: title, "\(sections)")
    }

    static func problemText(_ name: String, _ problem: FormProblem?) -> HTML {
        guard let problem, problem.form == name else { return "" }
        return "<p class=\"error\" id=\"\(name)-error\">\(problem.message)</p>"
    }

    static func candidates(_ c: PageContext, _ v: RecordView, problem: FormProblem?) -> HTML {
        let t = c.t
        guard !v.candidates.isEmpty else {
            return "<h2>\(t("可能的匹配", "Candidates"))</h2><p class=\"muted\">\(t("暂无候选。", "No candidates yet."))</p>"
        }
        let items: [HTML] = v.candidates.enumerated().map { rank, entry in
            let (candidate, other) = entry
            let decision: HTML =
                candidate.decision.map {
                    " <span class=\"status \($0)\">\(t.status(RecordStatus(rawValue: $0) ?? .confirmed))</span>"
                } ?? ""
            let reasons: [HTML] = (t.language == .zh ? candidate.chineseReasons : candidate.reasons).map {
                "<li>\($0)</li>"
            }
            let evidence: [HTML] = ["dna", "photo", "marks", "documents", "testimony"].map {
                "<label class=\"check\"><input type=\"checkbox\" name=\"evidence\" value=\"\($0)\"> \(t.evidence($0))</label>"
            }
            let form: HTML =
                candidate.decision == nil
                ? """
                <form method="post" action="/records/\(v.record.id.hex)/decide" class="decide">\(csrf(c))\
                <input type="hidden" name="partner" value="\(candidate.id.hex)">\(evidence)\
                <input name="note" placeholder="\(t.label("note"))" aria-label="\(t.label("note"))">\
                <button type="submit" name="decision" value="confirm" class="confirm">\(t("确认是同一个孩子", "Confirm match"))</button>\
                <button type="submit" name="decision" value="reject" class="reject">\(t("排除", "Reject"))</button></form>
                """ : ""
            return """
                <li class="candidate" id="candidate-\(rank + 1)"><div><a href="/records/\(candidate.id.hex)"><code>\(candidate.id.short)</code></a> \
                <strong>\(t("得分", "score")) \(String(format: "%.1f", candidate.score))\(candidate.chance.map { " · " + t("可能性", "chance") + " " + $0 } ?? "")</strong>\(decision) \
                <span class="muted">\(other.map { t.summary(of: $0) } ?? "")</span></div>\
                <ul class="reasons">\(reasons)</ul>\(form)</li>
                """
        }
        return """
            <h2>\(t("可能的匹配", "Candidates"))</h2>
            <p class="muted">\(t("得分是证据似然比的常用对数：4 表示证据支持同一个孩子的可能性是不支持的一万倍。可能性把得分与本节点所有记录相比（在十万个案件中，得分 4 只是弱线索），并假定一半被找到的孩子在这里有案件。DNA 结果只是线索，须由实验室确认。", "The score is log10 of the evidence's likelihood ratio: 4 means the evidence is 10,000 times likelier if this is the same child. The chance weighs it against every record this node holds (among 100,000 cases a score of 4 is a weak lead), assuming half of all found children have a case here. A DNA result is a lead for a laboratory to confirm."))</p>
            \(problemText("decide", problem))<ol class="candidates" id="candidates">\(items)</ol>
            """
    }

    static func reunionForm(_ c: PageContext, _ v: RecordView, problem: FormProblem?) -> HTML {
        let t = c.t
        let values = problem?.form == "reunion" ? problem!.values : FormData()
        let options: [HTML] = v.confirmedPartners.map {
            "<option value=\"\($0.id.hex)\">\($0.id.short) \(t.summary(of: $0))</option>"
        }
        return """
            <h2>\(t("登记团聚", "Record the reunion"))</h2>\(problemText("reunion", problem))
            <form method="post" action="/records/\(v.record.id.hex)/reunion" class="card" id="reunion-form">\(csrf(c))
            <label for="partner">\(t("与谁团聚", "Reunited with"))</label><select id="partner" name="partner">\(options)</select>
            <label for="on">\(t.label("on")) <span class="required">*</span></label><input id="on" name="on" value="\(values["on"] ?? "")" placeholder="YYYY-MM-DD">
            <label for="reunion-place">\(t.label("place"))</label><input id="reunion-place" name="place" value="\(values["place"] ?? "")">
            <label for="reunion-note">\(t.label("note"))</label><input id="reunion-note" name="note" value="\(values["note"] ?? "")">
            <button type="submit" id="record-reunion">\(t("登记团聚", "Record reunion"))</button></form>
            """
    }

    /// A node by name when it is this one or a peer, and always by the start of its id.
    static func node(_ id: NodeID, _ names: [NodeID: String], _ t: Words) -> HTML {
        let short = String(id.hex.prefix(12))
        guard let name = names[id] else { return "\(t("节点", "node")) <code>\(short)</code>" }
        return "\(name) <code>\(short)</code>"
    }

    static func history(_ c: PageContext, _ events: [Event], nodeNames: [NodeID: String]) -> HTML {
        let t = c.t
        let items: [HTML] = events.map { event in
            var what: [HTML] = []
            if case .changes(let changes)? = event.fields[.changes] {
                what = changes.map { change in
                    "<span>\(t.label(change.field.name)) → \(change.value?.displayText ?? t("（清空）", "(cleared)"))</span> "
                }
            }
            if let reason = event.fields.text(.reason) { what.append("<span>\(t.label("reason"))：\(reason)</span>") }
            let by: HTML =
                event.fields.text(.recordedBy).map { "\(t("录入人", "by")) <strong class=\"by\">\($0)</strong> · " }
                ?? ""
            return """
                <li><time>\(event.clock.description)</time> <strong>\(t.kind(event.kind))</strong> \
                <code>\(event.id.short)</code> · \(by)\(node(event.origin, nodeNames, t)) \(what)</li>
                """
        }
        return "<h2>\(t("历史", "History"))</h2><ol class=\"history\" id=\"history\">\(items)</ol>"
    }

    static func correctForm(_ c: PageContext, _ record: Record, problem: FormProblem?) -> HTML {
        let t = c.t
        let values = problem?.form == "correct" ? problem!.values : FormData()
        let options: [HTML] = record.kind.schema.filter { $0.field.isCorrectable }.map { entry in
            let name = entry.field.name
            return "<option value=\"\(name)\"\(values["field"] == name ? " selected" : "")>\(t.label(name))</option>"
        }
        return """
            <h2>\(t("更正", "Correct a field"))</h2>\(problemText("correct", problem))
            <form method="post" action="/records/\(record.id.hex)/correct" class="card" id="correct-form">\(csrf(c))
            <label for="correct-field">\(t("哪一项", "Field"))</label><select id="correct-field" name="field">\(options)</select>
            <label for="correct-value">\(t("新内容（留空表示清除）", "New value (blank clears it)"))</label><input id="correct-value" name="value" value="\(values["value"] ?? "")">
            <label for="correct-reason">\(t.label("reason")) <span class="required">*</span></label><input id="correct-reason" name="reason" value="\(values["reason"] ?? "")">
            <button type="submit" id="correct">\(t("保存更正", "Save correction"))</button></form>
            """
    }

    static func retractForm(_ c: PageContext, _ record: Record, problem: FormProblem?) -> HTML {
        let t = c.t
        return """
            <h2>\(t("撤销", "Retract"))</h2>\(problemText("retract", problem))
            <form method="post" action="/records/\(record.id.hex)/retract" class="card" id="retract-form">\(csrf(c))
            <p class="muted">\(t("只撤销登记错误的记录；它仍留在历史中，标为已撤销。", "Only for a record entered in error; it stays in the history, marked retracted."))</p>
            <label for="retract-reason">\(t.label("reason")) <span class="required">*</span></label><input id="retract-reason" name="reason">
            <button type="submit" id="retract" class="reject">\(t("撤销这条记录", "Retract this record"))</button></form>
            """
    }

    static func message(_ c: PageContext, title: String, _ text: String) -> HTML {
        layout(
            c, title: title,
            "<p class=\"error\" id=\"message\">\(text)</p><p><a href=\"/\">\(c.t("返回概况", "Back to the dashboard"))</a></p>"
        )
    }
}
