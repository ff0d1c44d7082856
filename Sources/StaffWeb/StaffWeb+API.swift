import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import Matching
import NodeReading

/// The JSON API under /api/v1 (Protocol/openapi.json). A client signs in with a staff
/// account for a bearer token; the token, not a cookie, authorises each request, so a page on
/// another site cannot use it. Events go through the same drafts and rules as `reunite
/// import`, and carry the staff member as `recordedBy`.
extension StaffWeb {
    public static let apiPaths = [
        "/api/v1/sessions", "/api/v1/dashboard", "/api/v1/records", "/api/v1/records/{id}",
        "/api/v1/records/{id}/candidates", "/api/v1/review", "/api/v1/events", "/api/v1/peers",
    ]

    public func addAPIRoutes(to router: Router<BasicRequestContext>) {
        router.post("/api/v1/sessions") { request, _ in await self.apiSignIn(request) }
        router.delete("/api/v1/sessions") { request, _ in
            await self.api(request) { token, _ in
                await self.sessions.close(token)
                return Response(status: .noContent)
            }
        }
        router.get("/api/v1/dashboard") { request, _ in
            await self.api(request) { _, _ in try await self.apiDashboard() }
        }
        router.get("/api/v1/records") { request, _ in
            await self.api(request) { _, _ in try await self.apiRecords(Self.query(request)) }
        }
        router.get("/api/v1/records/:id") { request, context in
            await self.api(request) { _, _ in try await self.apiRecord(context.parameters.get("id") ?? "") }
        }
        router.get("/api/v1/records/:id/candidates") { request, context in
            await self.api(request) { _, _ in
                try await self.apiCandidates(context.parameters.get("id") ?? "", Self.query(request)["limit"])
            }
        }
        router.post("/api/v1/events") { incoming, _ in
            var request = incoming
            let body = try? await request.collectBody(upTo: Self.maxFormBytes)
            return await self.api(request) { _, staff in try await self.apiEvent(body, staff: staff) }
        }
        router.get("/api/v1/review") { request, _ in
            await self.api(request) { _, _ in
                let (pairs, complete) = try await self.register.reviewQueue()
                return Self.json(
                    .object([
                        ("complete", .bool(complete)),
                        (
                            "pairs",
                            .array(
                                pairs.map { pair in
                                    guard case .object(let members) = pair.candidate.json else { return .null }
                                    return .object([("found", .string(pair.found.id.hex))] + members)
                                })
                        ),
                    ]))
            }
        }
        router.get("/api/v1/peers") { request, _ in
            await self.api(request) { _, _ in try await self.apiPeers() }
        }
    }

    /// A request with a valid bearer token; anything else gets 401 and nothing is read.
    func api(_ request: Request, _ body: @Sendable (String, String) async throws -> Response) async -> Response {
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), case let token = String(header.dropFirst(7)),
            let session = await validSession(token)
        else {
            return Self.json(
                Self.problem(
                    "unauthorized", nil,
                    "no current session: sign in with POST /api/v1/sessions and send Authorization: Bearer TOKEN"),
                status: .unauthorized)
        }
        do {
            return try await body(token, session.staff)
        } catch let error as LedgerError {
            let status: HTTPResponse.Status = error.code == .unknownRecord ? .notFound : .badRequest
            return Self.json(Self.problem(error.code.rawValue, error.field, error.message), status: status)
        } catch {
            logger.error("an API request failed", metadata: ["error": "\(error)"])
            return Self.json(Self.problem("internal", nil, "\(error)"), status: .internalServerError)
        }
    }

    func apiSignIn(_ incoming: Request) async -> Response {
        var request = incoming
        guard let body = try? await request.collectBody(upTo: 64 * 1024),
            case .object(let members)? = try? JSONValue(parsing: String(buffer: body)),
            case .string(let name)? = members.first(where: { $0.0 == "name" })?.1,
            case .string(let password)? = members.first(where: { $0.0 == "password" })?.1
        else {
            return Self.json(
                Self.problem("invalidJSON", nil, "send {\"name\": ..., \"password\": ...}"), status: .badRequest)
        }
        let attempt: (result: SignIn, token: String?)
        do {
            attempt = try await signIn(name: name, password: password)
        } catch {
            return Self.json(Self.problem("internal", nil, "\(error)"), status: .internalServerError)
        }
        switch attempt.result {
        case .accepted:
            return Self.json(
                .object([
                    ("token", .string(attempt.token ?? "")), ("staff", .string(name)),
                    ("idleSeconds", .number(Double(sessions.idleMilliseconds / 1000))),
                ]), status: .created)
        case .refused:
            return Self.json(Self.problem("unauthorized", nil, "wrong name or password"), status: .unauthorized)
        case .locked(let until):
            return Self.json(
                Self.problem(
                    "locked", nil,
                    "\(StaffLockout.attempts) wrong passwords in a row: locked until \(HybridTimestamp(milliseconds: until, counter: 0))"
                ), status: .tooManyRequests)
        }
    }

    func apiDashboard() async throws -> Response {
        var counts: [(String, JSONValue)] = []
        for group in RecordGroup.allCases {
            var byStatus: [String: Int] = [:]
            for entry in try await listings.entries(group) { byStatus[entry.status.rawValue, default: 0] += 1 }
            counts.append(
                (
                    group.rawValue,
                    .object(byStatus.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) })
                ))
        }
        let (year, reunions) = try await reunionsThisYear()
        return Self.json(
            .object([
                ("byStatus", .object(counts)), ("year", .number(Double(year))),
                ("reunionsThisYear", .number(Double(reunions))),
            ]))
    }

    func apiRecords(_ query: FormData) async throws -> Response {
        guard let name = query["group"], let group = RecordGroup(rawValue: name) else {
            throw LedgerError(.invalidValue, field: "group", "give group=cases, found, sightings, matches or reunions")
        }
        let limit = try Self.limit(query["limit"], default: Self.listLimit)
        let found = try RecordSearch(query, group: group).apply(to: try await listings.entries(group))
        return Self.json(
            .object([
                ("total", .number(Double(found.count))),
                ("records", .array(found.prefix(limit).map { $0.record.json(status: $0.status) })),
            ]))
    }

    func apiRecord(_ id: String) async throws -> Response {
        let store = node.store
        return Self.json(try await offload { try store.document(of: try store.record(named: id, field: "id")) })
    }

    func apiCandidates(_ id: String, _ limitText: String?) async throws -> Response {
        let limit = try Self.limit(limitText, default: 10)
        let store = node.store
        let record = try await offload { try store.record(named: id, field: "id") }
        let listed = try await register.candidates(for: record, limit: limit, field: "id")
        return Self.json(.array(listed.map(\.json)))
    }

    func apiEvent(_ body: ByteBuffer?, staff: String) async throws -> Response {
        guard let body else { throw LedgerError(.invalidJSON, "the body is missing or over 1 MB") }
        let json = try JSONValue(parsing: String(buffer: body))
        guard case .object(let members) = json else {
            throw LedgerError(.invalidJSON, "send one event draft as a JSON object with a \"kind\"")
        }
        guard !members.contains(where: { $0.0 == "recordedBy" }) else {
            throw LedgerError(
                .invalidValue, field: "recordedBy", "is set from the signed-in staff member; leave it out")
        }
        let draft = try EventDraft(importLine: .object(members + [("recordedBy", .string(staff))]))
        if draft.references.values.contains(where: { if case .line = $0 { true } else { false } }) {
            throw LedgerError(.invalidValue, "\"#N\" references belong to import files; name records by id")
        }
        let id = try await append(draft)
        logger.info("recorded through the API", metadata: ["kind": "\(draft.kind.name)", "staff": "\(staff)"])
        return Self.json(.object([("id", .string(id.hex))]), status: .created)
    }

    func apiPeers() async throws -> Response {
        let store = node.store
        return Self.json(try await offload { try store.peersDocument() })
    }

    static func limit(_ text: String?, default value: Int) throws -> Int {
        guard let text else { return value }
        guard let limit = Int(text), limit > 0 else {
            throw LedgerError(.invalidValue, field: "limit", "\"\(text)\" is not a positive number")
        }
        return limit
    }

    static func problem(_ code: String, _ field: String?, _ message: String) -> JSONValue {
        .object(
            [("error", .string(code))] + (field.map { [("field", .string($0))] } ?? [])
                + [("message", .string(message))])
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.jsonText + "\n")))
    }
}
