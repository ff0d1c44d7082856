import Foundation
import Hummingbird
import LedgerCore
import LedgerStore
import Matching
import NodeReading

extension StaffWeb {
    func dashboard(_ c: PageContext) async throws -> Response {
        var d = Pages.Dashboard()
        (d.year, d.reunionsThisYear) = try await reunionsThisYear()
        let cases = try await listings.entries(.cases)
        d.openCases = cases.filter { $0.status == .open }.count
        d.openFound = try await listings.entries(.found).filter { $0.status == .open }.count
        let reunitedCases = Set(cases.filter { $0.status == .reunited }.map(\.record.id))
        for match in try await listings.entries(.matches) {
            switch match.status {
            case .disputed: d.disputed += 1
            case .confirmed where match.record.kind == .identityMatched:
                if let caseId = match.record.caseId, !reunitedCases.contains(caseId) { d.awaitingReunion += 1 }
            default: break
            }
        }
        let review = try await register.reviewQueue()
        d.toReview = review.complete ? review.pairs.count : nil
        (d.peers, d.behind) = try await peersAndLag()
        return Self.html(Pages.dashboard(c, d))
    }

    /// This year, and how many reunions that stand are dated in it.
    func reunionsThisYear() async throws -> (year: Int, count: Int) {
        let year = PartialDate.civil(fromDay: Int(now() / 86_400_000)).year
        let reunions = try await listings.entries(.reunions).filter {
            $0.status == .recorded && $0.record.fields.date(.on)?.year == year
        }
        return (year, reunions.count)
    }

    func review(_ c: PageContext) async throws -> Response {
        let store = node.store
        let (pairs, complete) = try await register.reviewQueue()
        let shown = Array(pairs.prefix(Self.listLimit))
        let rows = try await offload {
            try shown.map { ($0.found, $0.candidate, try store.record($0.candidate.id)) }
        }
        return Self.html(Pages.review(c, rows, complete: complete))
    }

    func peers(_ c: PageContext) async throws -> Response {
        let (peers, behind) = try await peersAndLag()
        return Self.html(Pages.peers(c, peers, behind: behind))
    }

    /// The trusted peers, and for each that has synced how many of this node's events it lacks.
    func peersAndLag() async throws -> ([Peer], [NodeID: UInt64]) {
        let store = node.store
        return try await offload {
            let peers = try store.peers()
            let local = try store.vector()
            let behind = Dictionary(
                uniqueKeysWithValues: peers.compactMap { peer in
                    peer.vector.map { (peer.nodeID, local.eventsAhead(of: $0)) }
                })
            return (peers, behind)
        }
    }

    func list(_ group: RecordGroup, _ request: Request, _ c: PageContext) async throws -> Response {
        let filters = Self.query(request)
        do {
            let search = try RecordSearch(filters, group: group)
            let found = search.apply(to: try await listings.entries(group))
            let rows = found.prefix(Self.listLimit).map { ($0.record, $0.status) }
            return Self.html(Pages.list(c, group: group, rows: rows, total: found.count, filters: filters, error: nil))
        } catch let error as LedgerError {
            let message = c.t.label(error.field ?? "") + "：" + c.t.error(error)
            return Self.html(
                Pages.list(c, group: group, rows: [], total: 0, filters: filters, error: message), status: .badRequest)
        }
    }

    // MARK: Recording

    /// A new case, found child or sighting from its form. Every field is checked on its own
    /// first, so the form comes back with each mistake next to its input; then the ledger's
    /// rules between fields and records, as on the command line.
    func record(_ kind: EventKind, _ form: FormData, _ visit: Visit, _ c: PageContext) async throws -> Response {
        let staff = visit.session?.staff ?? ""
        var errors: [String: String] = [:]
        var general: String? = nil
        let inputs = FormField.form(for: kind).map(\.name)
        /// Next to its input, or above the form when no input is to blame.
        func say(_ problem: LedgerError) {
            if let field = problem.field, inputs.contains(field) {
                errors[field] = c.t.error(problem)
            } else {
                general = c.t.error(problem)
            }
        }
        do {
            let members = try FormField.members(of: kind, from: form) + [("recordedBy", .string(staff))]
            for problem in try EventDraft.problems(kind: kind, members: members) { say(problem) }
            if errors.isEmpty && general == nil {
                let draft = try EventDraft(kind: kind, members: members)
                let id = try await append(draft)
                logger.info("recorded through the web", metadata: ["kind": "\(kind.name)", "staff": "\(staff)"])
                return Self.redirect("/records/\(id.hex)?saved=1")
            }
        } catch let error as LedgerError {
            say(error)
        }
        let summary = c.t("未保存，请改正标红的项目。", "Not saved: correct the fields marked in red.")
        return Self.html(
            Pages.newRecord(
                c, kind: kind, values: form, errors: errors,
                general: general.map { summary + " " + $0 } ?? (errors.isEmpty ? nil : summary)),
            status: .unprocessableContent)
    }

    func append(_ draft: EventDraft) async throws -> EventID {
        let node = self.node
        let time = now()
        return try await offload { try node.store.append([draft], signedBy: node.key, nowMilliseconds: time)[0] }
    }

    // MARK: The record page

    func recordPage(_ id: String, _ c: PageContext, saved: Bool, problem: FormProblem?) async throws -> Response {
        let store = node.store
        let record = try await offload { try store.record(named: id, field: "id") }
        var listed: [ListedCandidate] = []
        if record.kind.describesChild {
            listed = try await register.candidates(for: record, limit: 5, field: "id")
        }
        var related: [(Record, RecordStatus)] = []
        if record.kind.describesChild {
            for group in [RecordGroup.matches, .reunions, .sightings] {
                for other in try await listings.entries(group)
                where other.record.caseId == record.id || other.record.foundId == record.id {
                    related.append((other.record, other.status))
                }
            }
        }
        let view = try await offload { [listed, related] in
            let status = try store.statusBoard().status(of: record)
            let history = try store.history(of: record).map(\.event)
            let shared = try MatchingData.sharedCertificate(store, of: record) ?? []
            let partners = try related.filter { $0.0.kind == .identityMatched && $0.1 == .confirmed }.compactMap {
                match in
                try (match.0.caseId == record.id ? match.0.foundId : match.0.caseId).flatMap { try store.record($0) }
            }
            var names = [node.key.nodeID: nodeName]
            for peer in try store.peers() { names[peer.nodeID] = peer.name }
            return RecordView(
                record: record, status: status, history: history, sharedCertificate: shared,
                candidates: try listed.map { ($0, try store.record($0.id)) }, related: related,
                confirmedPartners: partners, nodeNames: names)
        }
        return Self.html(
            Pages.record(c, view, saved: saved, problem: problem),
            status: problem == nil ? .ok : .unprocessableContent)
    }

    /// A decision, reunion, correction or retraction posted from the record page.
    func amend(_ id: String, step: String, _ form: FormData, _ visit: Visit, _ c: PageContext) async throws
        -> Response
    {
        let staff = visit.session?.staff ?? ""
        let store = node.store
        let record = try await offload { try store.record(named: id, field: "id") }
        do {
            let draft: EventDraft
            switch step {
            case "decide", "reunion":
                guard let partner = form["partner"] else {
                    throw LedgerError(.missingField, field: "partner", "choose the other record")
                }
                let pair: [(String, JSONValue)] =
                    record.kind == .abductionReported
                    ? [("caseId", .string(record.id.hex)), ("foundId", .string(partner))]
                    : [("caseId", .string(partner)), ("foundId", .string(record.id.hex))]
                let note: [(String, JSONValue)] = form["note"].map { [("note", .string($0))] } ?? []
                if step == "decide" {
                    let confirm = form["decision"] == "confirm"
                    let evidence = form.all("evidence")
                    draft = try EventDraft(
                        kind: confirm ? .identityMatched : .matchRejected,
                        members: pair + note + [("decidedBy", .string(staff)), ("recordedBy", .string(staff))]
                            + (confirm && !evidence.isEmpty
                                ? [("evidence", .string(evidence.joined(separator: ",")))] : []))
                } else {
                    draft = try EventDraft(
                        kind: .reunited,
                        members: pair + note + [
                            ("on", form["on"].map { .string($0) } ?? .null),
                            ("place", form["place"].map { .string($0) } ?? .null), ("recordedBy", .string(staff)),
                        ])
                }
            case "correct":
                guard let field = form["field"] else {
                    throw LedgerError(.missingField, field: "field", "choose the field to correct")
                }
                let text = form["value"] ?? ""
                let value: JSONValue = field == "dna" && !text.isEmpty ? try JSONValue(parsing: text) : .string(text)
                draft = try EventDraft(
                    kind: .corrected,
                    members: [
                        ("target", .string(record.id.hex)), ("changes", .object([(field, value)])),
                        ("reason", form["reason"].map { .string($0) } ?? .null), ("recordedBy", .string(staff)),
                    ])
            default:
                draft = try EventDraft(
                    kind: .retracted,
                    members: [
                        ("target", .string(record.id.hex)), ("reason", form["reason"].map { .string($0) } ?? .null),
                        ("recordedBy", .string(staff)),
                    ])
            }
            _ = try await append(draft)
            logger.info("recorded through the web", metadata: ["kind": "\(draft.kind.name)", "staff": "\(staff)"])
            return Self.redirect("/records/\(record.id.hex)?saved=1")
        } catch let error as LedgerError {
            let label = error.field.map { c.t.label($0) + "：" } ?? ""
            let problem = FormProblem(
                form: step, message: c.t("未保存。", "Not saved. ") + label + c.t.error(error), values: form)
            return try await recordPage(record.id.hex, c, saved: false, problem: problem)
        }
    }
}

/// The list filters: words anywhere in the record, place, status, sex, and a date range on
/// the group's main date (when missing, found, seen, reunited; when recorded for matches).
struct RecordSearch: Sendable {
    /// Lowercased UTF-8.
    let words: [[UInt8]]
    let place: String?
    let status: RecordStatus?
    let sex: String?
    let from: PartialDate?
    let to: PartialDate?
    let dateField: Field?

    init(_ filters: FormData, group: RecordGroup) throws {
        // Normalized on both sides (ChineseText.normalized): 陳 finds 陈, 陈 finds 陳, Ｗａｎｇ finds Wang.
        words = ChineseText.normalized(filters["q"] ?? "").lowercased().split(whereSeparator: \.isWhitespace).map {
            Array($0.utf8)
        }
        place = filters["place"].map { ChineseText.normalized($0).lowercased() }
        status = try filters["status"].map { try RecordStatus(parsing: $0, field: "status") }
        sex = filters["sex"]
        from = try filters["from"].map { try Self.date($0, field: "from") }
        to = try filters["to"].map { try Self.date($0, field: "to") }
        dateField =
            switch group {
            case .cases: .missingSince
            case .found: .foundOn
            case .sightings: .seenOn
            case .reunions: .on
            case .matches: nil
            }
    }

    private static func date(_ text: String, field: String) throws -> PartialDate {
        do {
            return try PartialDate(parsing: text)
        } catch let error as LedgerError {
            throw LedgerError(.invalidValue, field: field, error.message)
        }
    }

    /// The entries that pass, in the order given (newest first).
    func apply(to entries: [Listings.Entry]) -> [Listings.Entry] {
        entries.filter { entry in
            let record = entry.record
            if let status, entry.status != status { return false }
            if let sex, record.fields[.sex]?.displayText != sex { return false }
            if let place, !ChineseText.normalized(record.fields.text(.place) ?? "").lowercased().contains(place) {
                return false
            }
            if from != nil || to != nil, let dateField {
                guard let date = record.fields.date(dateField) else { return false }
                if let from, date.latestDay < from.earliestDay { return false }
                if let to, date.earliestDay > to.latestDay { return false }
            }
            return words.allSatisfy { entry.contains($0) }
        }
    }
}
