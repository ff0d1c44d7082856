import Crypto
import CryptoExtras
import Foundation
import LedgerCore

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
        Secret.randomBytes(16)
    }

    public static func matches(_ password: String, hash: [UInt8], salt: [UInt8]) throws -> Bool {
        Secret.equal(try Self.hash(password, salt: salt), hash)
    }
}
