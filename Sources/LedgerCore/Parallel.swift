import Dispatch

/// Maps independent work over all cores, keeping the order of the input.
public enum Parallel {
    /// `chunkSize` items at least go to one worker (256 for many small items; 1 when each item is
    /// long work of its own).
    public static func map<T: Sendable, R: Sendable>(
        _ items: [T], chunkSize smallest: Int = 256, _ transform: @Sendable (T) -> R
    ) -> [R] {
        let chunks = max(1, min(items.count / smallest, 64))
        let chunkSize = (items.count + chunks - 1) / max(chunks, 1)
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        // Its contents first: freed alone, the buffer kept every result in memory for good.
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let output = UncheckedBox(results)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * chunkSize
            let end = min(start + chunkSize, items.count)
            guard start < end else { return }
            for index in start..<end { output.value[index] = transform(items[index]) }
        }
        return results.map { $0! }
    }

    /// Two independent pieces of work, one on each core.
    public static func both<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B)
    {
        let results = map([true, false], chunkSize: 1) { isFirst -> (A?, B?) in
            isFirst ? (first(), nil) : (nil, second())
        }
        return (results[0].0!, results[1].1!)
    }
}

/// Each chunk writes its own disjoint range of the buffer, so sharing it is safe.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
