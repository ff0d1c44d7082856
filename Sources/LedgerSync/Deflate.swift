import CZlib

/// zlib streams with the protocol's preset dictionary (Protocol/SYNC.md, "Compression").
public enum Deflate {
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard czlib_deflate_init(&stream, level) == Z_OK else { preconditionFailure("deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        SyncDictionary.bytes.withUnsafeBufferPointer { dictionary in
            _ = deflateSetDictionary(&stream, dictionary.baseAddress, uInt(dictionary.count))
        }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        var input = input
        let produced: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflateBound leaves room for the whole stream")
                return target.count - Int(stream.avail_out)
            }
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// Inflates a stream, refusing one that would inflate past `limit` bytes (a zip bomb),
    /// one that is truncated, and one with bytes after its end.
    public static func decompress(_ input: [UInt8], limit: Int) throws(SyncError) -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflate_init(&stream) == Z_OK else { preconditionFailure("inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    if status == Z_NEED_DICT {
                        status = SyncDictionary.bytes.withUnsafeBufferPointer { dictionary in
                            inflateSetDictionary(&stream, dictionary.baseAddress, uInt(dictionary.count))
                        }
                        if status == Z_OK { status = inflate(&stream, Z_NO_FLUSH) }
                    }
                    output.append(contentsOf: target.prefix(target.count - Int(stream.avail_out)))
                }
            } while status == Z_OK && output.count <= limit && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard output.count <= limit else {
            throw SyncError(.tooLarge, "the message inflates past \(limit) bytes")
        }
        guard status == Z_STREAM_END else {
            throw SyncError(.malformed, "the message is not a complete zlib stream")
        }
        guard stream.avail_in == 0 else { throw SyncError(.malformed, "bytes after the end of the zlib stream") }
        return output
    }
}
