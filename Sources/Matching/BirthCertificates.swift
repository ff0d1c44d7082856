import LedgerCore

/// Forged birth certificates are how trafficked babies get registered: the same serial recorded
/// for two different children, on any node, is flagged on both records.
public enum BirthCertificates {
    /// A record naming a certificate: a case or a found child, and the serial it gives.
    public struct Holder: Sendable {
        public let id: EventID
        public let isCase: Bool
        public let serial: String

        /// Nil unless `record` is a case or found child naming a certificate serial.
        public init?(record: Record) {
            guard record.kind.describesChild, !record.retracted,
                let serial = record.fields.text(.birthCertificate).flatMap(BirthCertificates.serial(in:))
            else { return nil }
            id = record.id
            isCase = record.kind == .abductionReported
            self.serial = serial
        }
    }

    /// For each record whose certificate serial another record also names, those other records.
    /// A case and a found child confirmed as one child may share a certificate; any other two
    /// records may not. `confirmedPairs` holds (case, found child) ids of standing confirmations.
    public static func shared(among holders: [Holder], confirmedPairs: Set<[EventID]> = []) -> [EventID: [EventID]] {
        var bySerial: [String: [Holder]] = [:]
        for holder in holders { bySerial[holder.serial, default: []].append(holder) }
        var shared: [EventID: [EventID]] = [:]
        for group in bySerial.values where group.count > 1 {
            for holder in group {
                let others = group.filter { other in
                    other.id != holder.id
                        && !confirmedPairs.contains(holder.isCase ? [holder.id, other.id] : [other.id, holder.id])
                }
                if !others.isEmpty { shared[holder.id] = others.map(\.id).sorted() }
            }
        }
        return shared
    }

    /// The serial in a birth-certificate field ("M440123456, 广州市妇幼保健院"): its longest run
    /// of letters and digits with at least six characters and a digit, upper-cased. Full-width
    /// characters, as a Chinese input method may type them, are read as ASCII (Ｍ４４０１２３４５６
    /// is M440123456).
    public static func serial(in text: String) -> String? {
        var best = ""
        var run = ""
        for character in ChineseText.normalized(text).uppercased() + " " {
            if character.isASCII && (character.isLetter || character.isNumber) {
                run.append(character)
            } else {
                if run.count > best.count, run.count >= 6, run.contains(where: \.isNumber) { best = run }
                run = ""
            }
        }
        return best.isEmpty ? nil : best
    }
}
