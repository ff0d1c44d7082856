import Crypto
import CryptoExtras
import Foundation

/// A staff password as the node keeps it: scrypt (N = 2^15, r = 8, p = 1, about 32 MiB and a
/// tenth of a second) over a random 16-byte salt, so a copied database does not give the
/// passwords away cheaply.
public enum StaffPassword {
    static let rounds = 1 << 15
    public static let minimumLength = 10

    public static func hash(_ password: String, salt: [UInt8]) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: rounds, blockSize: 8, parallelism: 1)
        return key.withUnsafeBytes { Array($0) }
    }

    public static func newSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Compares in constant time, so the answer's timing says nothing of the stored hash.
    public static func matches(_ password: String, hash: [UInt8], salt: [UInt8]) throws -> Bool {
        let candidate = try Self.hash(password, salt: salt)
        guard candidate.count == hash.count else { return false }
        return zip(candidate, hash).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
