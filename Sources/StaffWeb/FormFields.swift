import LedgerCore

/// One input of a recording form, named by the JSON field it fills.
struct FormField: Sendable {
    enum Input: Sendable {
        case line, paragraph, date, sex, bloodType, number, coordinate, age, ageUncertainty, dna
    }

    let name: String
    let input: Input
    let required: Bool
    let kind: EventKind

    /// The forms for the three kinds staff record from scratch, in the order people think of
    /// them: who, when and where, what the child looks like, who reports. Required marks come
    /// from the kind's schema, so the form and the ledger cannot disagree.
    static func form(for kind: EventKind) -> [FormField] {
        let inputs: [(String, Input)]
        switch kind {
        case .abductionReported:
            inputs = [
                ("childName", .line), ("otherNames", .line), ("sex", .sex), ("born", .date),
                ("missingSince", .date), ("place", .line), ("lat", .coordinate), ("lon", .coordinate),
                ("circumstances", .paragraph), ("marks", .paragraph), ("bloodType", .bloodType),
                ("heightCm", .number), ("reporterName", .line), ("reporterRelation", .line), ("contact", .line),
                ("policeCaseNumber", .line), ("birthCertificate", .line), ("dna", .dna),
            ]
        case .childFound:
            inputs = [
                ("name", .line), ("otherNames", .line), ("sex", .sex), ("ageMonths", .age),
                ("ageUncertaintyMonths", .ageUncertainty), ("foundOn", .date), ("place", .line),
                ("lat", .coordinate), ("lon", .coordinate), ("marks", .paragraph), ("bloodType", .bloodType),
                ("heightCm", .number), ("circumstances", .paragraph), ("custody", .line), ("reportedBy", .line),
                ("birthCertificate", .line), ("dna", .dna),
            ]
        case .sightingReported:
            inputs = [
                ("seenOn", .date), ("place", .line), ("lat", .coordinate), ("lon", .coordinate),
                ("description", .paragraph), ("sourceUrl", .line), ("caseId", .line),
            ]
        default:
            inputs = []
        }
        return inputs.map { name, input in
            FormField(
                name: name, input: input,
                required: kind.schema.contains { $0.field.name == name && $0.required }, kind: kind)
        }
    }

    /// The example shown under the input.
    func hint(_ t: Words) -> String? {
        if input == .date { return t("例：2012、2012-03 或 2012-03-14", "e.g. 2012, 2012-03 or 2012-03-14") }
        if input == .coordinate { return t("十进制度数，可不填", "decimal degrees, optional") }
        switch name {
        case "marks": return t("例：左脸有痣；右手背烫伤疤", "e.g. mole on left cheek; burn scar on back of right hand")
        case "otherNames": return t("小名、昵称，用逗号分开", "milk names, nicknames, separated by commas")
        case "caseId": return t("案件编号的前 8 位或以上（可不填）", "the first 8 or more characters of the case id (optional)")
        case "birthCertificate": return t("编号和签发医院", "serial number and issuing hospital")
        case "dna":
            let example =
                kind == .abductionReported
                ? "{\"mother\": {\"D3S1358\": [15, 16], ...}, \"father\": {...}}"
                : "{\"D3S1358\": [15, 16], \"TH01\": [9.3, 9.3], ...}"
            return t("例：", "e.g. ") + example
        default: return nil
        }
    }

    /// The draft members the form's values make: text as typed (the ledger parses it, as it
    /// does command-line options), the age picker's years and months as one `ageMonths`, DNA
    /// as JSON. Blank inputs are left out.
    static func members(of kind: EventKind, from form: FormData) throws -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        for field in Self.form(for: kind) {
            switch field.input {
            case .age:
                let years = form["ageYears"]
                let months = form["ageExtraMonths"]
                guard years != nil || months != nil else { continue }
                // Bounded before they are added: years typed as 999999999999999999 overflowed, which
                // stopped the server. The ledger refuses an age over 100 years with its own words.
                guard let y = Int(years ?? "0"), let m = Int(months ?? "0"), (0...1_000).contains(y),
                    (0...12_000).contains(m)
                else {
                    throw LedgerError(
                        .invalidValue, field: field.name, "years and months are whole numbers, such as 3 and 2")
                }
                members.append((field.name, .string(String(y * 12 + m))))
            case .dna:
                guard let text = form[field.name] else { continue }
                do {
                    members.append((field.name, try JSONValue(parsing: text)))
                } catch let error as LedgerError {
                    throw LedgerError(.invalidJSON, field: field.name, "is not JSON: \(error.message)")
                }
            default:
                if let value = form[field.name] { members.append((field.name, .string(value))) }
            }
        }
        return members
    }
}
