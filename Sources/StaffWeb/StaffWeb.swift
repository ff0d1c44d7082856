import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import Logging
import Matching
import NodeReading

/// The staff pages: sign-in, dashboard, lists, recording forms, the record page with its
/// candidates and decisions, peers. Every event recorded here names the staff member in
/// `recordedBy` and goes through the same drafts and rules as the command line.
public struct StaffWeb: Sendable {
    let node: Node
    let nodeName: String
    let sessions: Sessions
    let register: Register
    let listings: Listings
    /// Mark cookies `Secure` when the pages are served over https.
    let secureCookies: Bool
    let logger: Logger
    let now: @Sendable () -> UInt64

    static let sessionCookie = "reunite_session"
    static let languageCookie = "reunite_lang"
    static let maxFormBytes = 1 << 20
    static let listLimit = 200

    public init(node: Node, secureCookies: Bool, logger: Logger, now: @escaping @Sendable () -> UInt64) throws {
        self.node = node
        nodeName = try node.store.nodeName()
        sessions = Sessions()
        register = Register(store: node.store, directory: node.directory)
        listings = Listings(store: node.store)
        self.secureCookies = secureCookies
        self.logger = logger
        self.now = now
    }

    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/assets/style.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "max-age=3600"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Assets.stylesheet)))
        }
        router.get("/login") { request, _ in await self.loginPage(request) }
        router.post("/login") { request, _ in await self.signIn(request) }
        router.post("/logout") { request, _ in
            await self.action(request) { visit, _, _ in
                await self.sessions.close(visit.token)
                return Self.redirect("/login", cookies: [self.cookie(Self.sessionCookie, "", maxAge: 0)])
            }
        }
        router.get("/language") { request, _ in self.switchLanguage(request) }
        router.get("/") { request, _ in await self.page(request) { c in try await self.dashboard(c) } }
        router.get("/peers") { request, _ in await self.page(request) { c in try await self.peers(c) } }
        router.get("/review") { request, _ in await self.page(request) { c in try await self.review(c) } }
        for group in RecordGroup.allCases {
            router.get(RouterPath("/\(group.rawValue)")) { request, _ in
                await self.page(request) { c in try await self.list(group, request, c) }
            }
        }
        for (path, kind) in [
            ("case", EventKind.abductionReported), ("found", .childFound), ("sighting", .sightingReported),
        ] {
            router.get(RouterPath("/new/\(path)")) { request, _ in
                await self.page(request) { c in
                    var values = FormData()
                    values.set("caseId", Self.query(request)["case"])
                    if kind == .childFound { values.set("reportedBy", self.nodeName) }
                    return Self.html(Pages.newRecord(c, kind: kind, values: values, errors: [:], general: nil))
                }
            }
            router.post(RouterPath("/new/\(path)")) { request, _ in
                await self.action(request) { visit, c, form in try await self.record(kind, form, visit, c) }
            }
        }
        router.get("/records/:id") { request, context in
            await self.page(request) { c in
                let saved = Self.query(request)["saved"] != nil
                return try await self.recordPage(context.parameters.get("id") ?? "", c, saved: saved, problem: nil)
            }
        }
        for step in ["decide", "reunion", "correct", "retract"] {
            router.post(RouterPath("/records/:id/\(step)")) { request, context in
                let id = context.parameters.get("id") ?? ""
                return await self.action(request) { visit, c, form in
                    try await self.amend(id, step: step, form, visit, c)
                }
            }
        }
    }

    // MARK: Visits, sign-in and forms

    /// Who is asking, in which language, from which page.
    struct Visit: Sendable {
        let language: Language
        let token: String?
        let session: Session?
        let here: String
    }

    func visit(_ request: Request) async -> Visit {
        let chosen = request.cookies[Self.languageCookie].flatMap { Language(rawValue: $0.value) }
        let language = chosen ?? Language.preferred(by: request.headers[.acceptLanguage])
        let token = request.cookies[Self.sessionCookie]?.value
        let session = await validSession(token)
        return Visit(language: language, token: token, session: session, here: request.uri.description)
    }

    /// The session a cookie or bearer token names, if it is current and its account is still
    /// enabled with the password it signed in with; otherwise the session is closed.
    func validSession(_ token: String?) async -> Session? {
        guard let session = await sessions.session(token, now: now()) else { return nil }
        let store = node.store
        let valid = try? await offload {
            try store.isSessionValid(staff: session.staff, openedAt: session.openedAt)
        }
        guard valid == true else {
            await sessions.close(token)
            return nil
        }
        return session
    }

    func context(_ visit: Visit) -> PageContext {
        PageContext(
            t: Words(visit.language), staff: visit.session?.staff, formToken: visit.session?.formToken,
            nodeName: nodeName, here: visit.here)
    }

    /// A page for signed-in staff; anyone else is sent to sign in and brought back after.
    func page(_ request: Request, _ body: @Sendable (PageContext) async throws -> Response) async -> Response {
        let visit = await visit(request)
        guard visit.session != nil else { return Self.redirect("/login?next=\(URLText.query(visit.here))") }
        let c = context(visit)
        do {
            return try await body(c)
        } catch {
            return failure(error, c)
        }
    }

    /// A form post from signed-in staff, with the session's form token: a post without it (or
    /// with another session's) is refused and changes nothing.
    func action(
        _ incoming: Request, _ body: @Sendable (Visit, PageContext, FormData) async throws -> Response
    ) async -> Response {
        var request = incoming
        let visit = await visit(request)
        let c = context(visit)
        guard Self.isSameOrigin(request) else { return crossSite(c) }
        guard let session = visit.session else { return Self.redirect("/login") }
        guard let form = await Self.form(&request) else {
            return Self.html(
                Pages.message(c, title: c.t("无法保存", "Not saved"), c.t("表单太大。", "The form is too large.")),
                status: .contentTooLarge)
        }
        guard Secret.equal(Array((form["_csrf"] ?? "").utf8), Array(session.formToken.utf8)) else {
            logger.warning("refused a form without this session's token", metadata: ["path": "\(request.uri.path)"])
            return Self.html(
                Pages.message(
                    c, title: c.t("无法保存", "Not saved"),
                    c.t(
                        "这个表单已过期，或不是从本站页面提交的。请重新打开页面再试。",
                        "This form has expired or did not come from this site's pages. Open the page again and retry.")),
                status: .forbidden)
        }
        do {
            return try await body(visit, c, form)
        } catch {
            return failure(error, c)
        }
    }

    /// A browser names the page a post comes from in `Origin`; a post from another site's page
    /// is refused whatever it carries. Clients that send no `Origin` are not browsers. Behind a
    /// reverse proxy the host the browser used arrives as `X-Forwarded-Host`; a page elsewhere
    /// cannot add that header to a form it makes a browser post.
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        let hosts = [request.head.authority, request.headers[HTTPField.Name("X-Forwarded-Host")!]].compactMap { $0 }
        return hosts.contains { origin == "http://\($0)" || origin == "https://\($0)" }
    }

    func crossSite(_ c: PageContext) -> Response {
        logger.warning("refused a post from another site's page")
        return Self.html(
            Pages.message(
                c, title: c.t("无法保存", "Not saved"),
                c.t("这个表单来自其他网站，已拒绝。", "This form came from another site's page and was refused.")),
            status: .forbidden)
    }

    func failure(_ error: any Error, _ c: PageContext) -> Response {
        if let error = error as? LedgerError, error.code == .unknownRecord || error.code == .wrongRecord {
            return Self.html(
                Pages.message(c, title: c.t("找不到记录", "No such record"), c.t.error(error)), status: .notFound)
        }
        logger.error("a page failed", metadata: ["error": "\(error)"])
        return Self.html(
            Pages.message(c, title: c.t("出错了", "Something went wrong"), "\(error)"), status: .internalServerError)
    }

    func loginPage(_ request: Request) async -> Response {
        let visit = await visit(request)
        let next = Self.localPath(Self.query(request)["next"])
        if visit.session != nil { return Self.redirect(next) }
        return Self.html(Pages.login(context(visit), name: "", next: next, error: nil))
    }

    func signIn(_ incoming: Request) async -> Response {
        var request = incoming
        let visit = await visit(request)
        let c = context(visit)
        // Without this a page elsewhere could sign a browser in to an account of its choosing.
        guard Self.isSameOrigin(request) else { return crossSite(c) }
        let form = await Self.form(&request) ?? FormData()
        let name = form["name"] ?? ""
        let next = Self.localPath(form["next"])
        let password = form.pairs.first { $0.name == "password" }?.value ?? ""
        let attempt: (result: SignIn, token: String?)
        do {
            attempt = try await signIn(name: name, password: password)
        } catch {
            return failure(error, c)
        }
        switch attempt.result {
        case .accepted:
            return Self.redirect(next, cookies: [cookie(Self.sessionCookie, attempt.token ?? "", maxAge: nil)])
        case .refused:
            let error = c.t("用户名或密码不对。", "Wrong name or password.")
            return Self.html(Pages.login(c, name: name, next: next, error: error), status: .unauthorized)
        case .locked(let until):
            let minutes = Int((until - min(until, now()) + 59_999) / 60_000)
            let error = c.t(
                "连续输错密码 \(StaffLockout.attempts) 次，账号已锁定，请 \(minutes) 分钟后再试。",
                "\(StaffLockout.attempts) wrong passwords in a row: this account is locked; try again in \(minutes) minutes."
            )
            return Self.html(Pages.login(c, name: name, next: next, error: error), status: .tooManyRequests)
        }
    }

    /// Checks a password (with lockout) and, when it is right, opens a session: its token.
    func signIn(name: String, password: String) async throws -> (result: SignIn, token: String?) {
        let store = node.store
        let time = now()
        let result = try await offload { try store.signIn(name: name, password: password, nowMilliseconds: time) }
        guard result == .accepted else {
            logger.info("refused a sign-in", metadata: ["name": "\(name)", "result": "\(result)"])
            return (result, nil)
        }
        logger.info("signed in", metadata: ["staff": "\(name)"])
        return (result, await sessions.open(staff: name, now: time))
    }

    func switchLanguage(_ request: Request) -> Response {
        let query = Self.query(request)
        let language = query["to"].flatMap(Language.init(rawValue:)) ?? .zh
        return Self.redirect(
            Self.localPath(query["back"]),
            cookies: [cookie(Self.languageCookie, language.rawValue, maxAge: 365 * 86400)])
    }

    func cookie(_ name: String, _ value: String, maxAge: Int?) -> String {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if secureCookies { text += "; Secure" }
        return text
    }

    static func form(_ request: inout Request) async -> FormData? {
        guard let body = try? await request.collectBody(upTo: maxFormBytes) else { return nil }
        return FormData(encoded: String(buffer: body))
    }

    static func query(_ request: Request) -> FormData {
        FormData(encoded: request.uri.query ?? "")
    }

    /// Only a path on this site: never `//elsewhere` or `https://elsewhere`.
    static func localPath(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\") else { return "/" }
        return path
    }

    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.text)))
    }

    /// After a post, the browser is sent to a page to get, so reloading never posts twice.
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    static let securityHeaders: HTTPFields = {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return headers
    }()
}
