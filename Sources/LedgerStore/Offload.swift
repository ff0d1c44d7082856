import Dispatch

/// Runs blocking work (SQLite through GRDB) on a Dispatch thread, so the few threads of
/// Swift's cooperative pool keep serving other requests meanwhile.
public func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
