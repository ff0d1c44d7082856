import LedgerCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// One piece of evidence for or against a pair, in words, with its weight: log10 of how much
/// likelier the evidence is if the found child is the case's child than if not.
public struct Reason: Sendable, Equatable {
    public let log10Ratio: Double
    /// In English, as the command line and the API print it.
    public let text: String
    /// The same in Simplified Chinese, for the staff pages.
    public let chinese: String
}

/// How strongly the evidence says a found child is a case's child.
public struct Comparison: Sendable {
    /// log10 of the combined likelihood ratio: the sum of the reasons' weights.
    public let score: Double
    public let reasons: [Reason]
    public let kinship: KinshipResult?
}

/// Combines the evidence about one (case, found child) pair as likelihood ratios, so that each
/// field adds evidence rather than a hand-set weight. Sex, blood group, dates and DNA can rule a
/// pair out; the rest only move the score.
public enum Matcher {
    static let daysPerMonth = 30.44
    /// Birth dates of the children in the registers spread over about eighteen years.
    static let birthSpanDays = 18 * 365.25
    /// Children in the registers went missing over about twenty years.
    static let registerSpanDays = 20 * 365.25
    /// Shares of the ABO groups among Han Chinese (approximate national survey figures).
    static let aboShare: [BloodType.Group: Double] = [.a: 0.28, .b: 0.29, .o: 0.34, .ab: 0.09]

    /// True when the records alone make the pair impossible: the child found before going
    /// missing or before being born, or a different sex or blood group, unless DNA could show
    /// parentage (then a difference is more likely a recording error; `compare` weighs it).
    static func rulesOut(abductionCase: ChildDescription.Outline, found: ChildDescription.Outline) -> Bool {
        if found.eventDays.upperBound < abductionCase.eventDays.lowerBound
            || abductionCase.bornDays.map({ found.eventDays.upperBound < $0.lowerBound }) ?? false
        {
            return true
        }
        let differs =
            sexDiffers(abductionCase.sex, found.sex) || bloodDiffers(abductionCase.bloodGroup, found.bloodGroup)
        return differs && !(found.hasChildDNA && abductionCase.hasDNA)
    }

    /// True when DNA alone rules the pair out: the found child's profile against the case's
    /// parents' has three or more loci inconsistent with parentage (GB/T 37223-2018's
    /// exclusion), told with integer comparisons. Most pairs a query with DNA scores are such.
    static func dnaExcludes(
        child: GenotypeTable?, mother: GenotypeTable?, father: GenotypeTable?, frequencies: AlleleFrequencies = .chinese
    ) -> Bool {
        guard let child else { return false }
        return Kinship.excludes(child: child, mother: mother, father: father, frequencies: frequencies)
    }

    private static func sexDiffers(_ a: Sex?, _ b: Sex?) -> Bool { a != nil && b != nil && a != b }
    private static func bloodDiffers(_ a: BloodType.Group?, _ b: BloodType.Group?) -> Bool {
        a != nil && b != nil && a != b
    }

    /// Nil when the pair is impossible (`rulesOut`), or excluded by DNA. When DNA supports
    /// parentage, a different sex or blood group only lowers the score.
    /// Without `explain` the reasons are left out (their words cost more than the arithmetic).
    public static func compare(
        abductionCase: ChildDescription, found: ChildDescription, rarity: Rarity,
        frequencies: AlleleFrequencies = .chinese, explain: Bool = true
    ) -> Comparison? {
        if rulesOut(abductionCase: abductionCase.outline, found: found.outline) { return nil }
        let sexDiffers = sexDiffers(abductionCase.sex, found.sex)
        let couldMatch = !sexDiffers && !bloodDiffers(abductionCase.bloodGroup, found.bloodGroup)

        var tally = Tally(explain: explain)
        var kinship: KinshipResult?
        let (mother, father) = (abductionCase.motherDNA, abductionCase.fatherDNA)
        if dnaExcludes(child: found.childDNA, mother: mother, father: father, frequencies: frequencies) { return nil }
        if let child = found.childDNA,
            let result = Kinship.compare(child: child, mother: mother, father: father, frequencies: frequencies)
        {
            kinship = result
            tally.add(result.log10CombinedIndex, dnaText(result), dnaChinese(result))
        }
        if !couldMatch {
            guard kinship?.decision == .supportsParentage else { return nil }
            tally.add(
                -2, "\(sexDiffers ? "sex" : "blood type") differs: check both records for a recording error",
                "\(sexDiffers ? "性别" : "血型")不同：请核对两条记录是否登记有误")
        }
        if let serial = found.certificateSerial, serial == abductionCase.certificateSerial {
            tally.add(
                3, "same birth certificate serial \(serial): one child, or a forged certificate",
                "出生证明编号相同（\(serial)）：同一个孩子，或证件是伪造的")
        }
        addMarks(abductionCase, found, rarity, to: &tally)
        addOtherFeatures(abductionCase, found, rarity, to: &tally)
        addNames(abductionCase, found, rarity, to: &tally)
        addParentNames(abductionCase, found, rarity, to: &tally)
        addAge(abductionCase, found, to: &tally)
        addPlaceAndTime(abductionCase, found, rarity, to: &tally)
        addHome(abductionCase, found, rarity, to: &tally)
        if let sex = found.sex, abductionCase.sex == sex {
            tally.add(log10(2), "sex: both \(sex.name)", "性别：都是\(sex == .male ? "男" : sex == .female ? "女" : "不详")")
        }
        if let group = found.bloodGroup, abductionCase.bloodGroup == group {
            tally.add(
                log10(0.98 / (aboShare[group] ?? 0.25)), "blood type: both \(BloodType(group: group, rh: .unstated))",
                "血型：都是 \(BloodType(group: group, rh: .unstated))")
        }
        return Comparison(score: tally.score, reasons: tally.reasons, kinship: kinship)
    }

    /// Adds up the weights, and keeps the words only when asked to explain.
    struct Tally {
        let explain: Bool
        var score = 0.0
        var reasons: [Reason] = []

        mutating func add(_ log10Ratio: Double, _ text: @autoclosure () -> String, _ chinese: @autoclosure () -> String)
        {
            score += log10Ratio
            if explain { reasons.append(Reason(log10Ratio: log10Ratio, text: text(), chinese: chinese())) }
        }
    }

    static func dnaText(_ result: KinshipResult) -> String {
        var text =
            "DNA: parent-child likelihood ratio \(scientific(result.log10CombinedIndex)) over \(result.lociCompared) loci, \(result.parents.rawValue)"
        if !result.inconsistentLoci.isEmpty {
            text +=
                "; \(result.inconsistentLoci.count) inconsistent (\(result.inconsistentLoci.joined(separator: ", "))), scored as mutation"
        }
        switch result.decision {
        case .supportsParentage: text += "; GB/T 37223-2018 would support parentage: a lead for a laboratory to confirm"
        case .typeMoreLoci: text += "; below the GB/T 37223-2018 threshold of 10,000: type more loci"
        case .excludesParentage: text += "; GB/T 37223-2018 would exclude parentage"
        }
        return text
    }

    static func dnaChinese(_ result: KinshipResult) -> String {
        let parents =
            switch result.parents {
            case .mother: "母亲"
            case .father: "父亲"
            case .motherAndFather: "父母双方"
            }
        var text = "DNA：与\(parents)的亲子关系似然比 \(scientific(result.log10CombinedIndex))，比较 \(result.lociCompared) 个基因座"
        if !result.inconsistentLoci.isEmpty {
            text +=
                "；\(result.inconsistentLoci.count) 个不一致（\(result.inconsistentLoci.joined(separator: "、"))），按突变计算"
        }
        switch result.decision {
        case .supportsParentage: text += "；按 GB/T 37223-2018 支持亲子关系：这是线索，须由实验室确认"
        case .typeMoreLoci: text += "；低于 GB/T 37223-2018 的 10,000 阈值：需检测更多基因座"
        case .excludesParentage: text += "；按 GB/T 37223-2018 排除亲子关系"
        }
        return text
    }

    // MARK: - Marks

    static func addMarks(
        _ abductionCase: ChildDescription, _ found: ChildDescription, _ rarity: Rarity, to tally: inout Tally
    ) {
        guard !found.marks.isEmpty, !abductionCase.marks.isEmpty, let caseText = abductionCase.marksText else {
            return
        }
        let foundText = found.marksText ?? ""
        // Read only when the reasons are written: most pairs scored are never shown.
        let caseWordings = tally.explain ? Mark.wordings(of: caseText) : []
        let foundWordings = tally.explain ? Mark.wordings(of: foundText) : []
        var unmatched = 0
        var unmatchedRatio = 1.0
        for mark in found.marks {
            var samePart: Mark?
            var nearPart: Mark?
            // The case's mark of this kind that one side does not place.
            var unplaced: Mark?
            for other in abductionCase.marks where other.kind == mark.kind {
                guard let part = other.bodyPart else {
                    if unplaced == nil { unplaced = other }
                    continue
                }
                if mark.bodyPart == nil, unplaced == nil { unplaced = other }
                if samePart == nil, part == mark.bodyPart { samePart = other }
                // A knee and a leg may be one mark less precisely placed; a right knee and a left
                // leg are two.
                if nearPart == nil, let own = mark.bodyPart, own.contains(part) || part.contains(own),
                    mark.side == nil || other.side == nil || mark.side == other.side
                {
                    nearPart = other
                }
            }
            let ratio: Double
            let matched: Mark
            var otherSide = false
            if samePart == nil, let other = nearPart, let own = mark.bodyPart, let part = other.bodyPart {
                matched = other
                // One wrote "knee", the other "leg": the same mark less precisely placed, about one
                // description in ten.
                ratio = min(0.1 / rarity.markShare(mark.kind, own.contains(part) ? own : part), 30)
            } else if let other = samePart {
                matched = other
                switch (mark.side, other.side) {
                case (let a?, let b?) where a != b:
                    // Left and right are easily swapped when describing a child facing you.
                    ratio = min(0.1 / rarity.markShare(mark.kind, mark.bodyPart), 30)
                    otherSide = true
                case (let a?, _?): ratio = min(0.7 / rarity.markShare(mark.kind, mark.bodyPart, a), 300)
                default: ratio = min(0.7 / rarity.markShare(mark.kind, mark.bodyPart), 300)
                }
            } else if let other = unplaced {
                matched = other
                ratio = min(0.5 / rarity.markShare(mark.kind, nil), 30)
            } else {
                unmatched += 1
                unmatchedRatio *= mark.kind.canBeAcquired ? 0.6 : 0.3
                continue
            }
            // Each mark in the words of each record that name it; the whole description when none do alone.
            var caseWords: String { quote(caseText, caseWordings) { $0.marks.contains(matched) } }
            var foundWords: String { quote(foundText, foundWordings) { $0.marks.contains(mark) } }
            tally.add(
                log10(ratio), "marks: \(mark.description) ~ \(caseWords)\(otherSide ? " (the other side)" : "")",
                "体貌特征：\(foundWords) ~ \(caseWords)\(otherSide ? "（左右相反）" : "")")
        }
        // The family's marks the shelter did not describe: a shelter looks the child over, so a
        // missing mark is some evidence against, less for a birthmark (many fade in childhood).
        var missing = 0
        for mark in abductionCase.marks where !found.marks.contains(where: { $0.kind == mark.kind }) {
            missing += 1
            unmatchedRatio *= mark.kind == .birthmark ? 0.7 : 0.5
        }
        guard unmatched > 0 || missing > 0 else { return }
        // Families and shelters describe different marks, or the same one differently. Worded
        // only when the reasons are written: most pairs scored share no mark.
        var english: String {
            [
                unmatched > 0 ? "\(unmatched) of the found child's not in the case" : nil,
                missing > 0 ? "\(missing) of the case's not described when found" : nil,
            ].compactMap { $0 }.joined(separator: "; ")
        }
        var chinese: String {
            [
                unmatched > 0 ? "被找到的孩子有 \(unmatched) 处特征案件中没有" : nil,
                missing > 0 ? "案件中有 \(missing) 处特征被找到时未记录" : nil,
            ].compactMap { $0 }.joined(separator: "；")
        }
        tally.add(log10(max(unmatchedRatio, 0.1)), "marks: " + english, "体貌特征：" + chinese)
    }

    /// Features the mark vocabulary cannot read ("一撮白发", "white forelock"): the rarest word both
    /// descriptions use, worth what its rarity says, as a mark is. One word only, since the
    /// words of one feature come together.
    static func addOtherFeatures(
        _ abductionCase: ChildDescription, _ found: ChildDescription, _ rarity: Rarity, to tally: inout Tally
    ) {
        guard !found.otherFeatures.isEmpty, !abductionCase.otherFeatures.isEmpty else { return }
        let shared = found.otherFeatures.filter { feature in
            abductionCase.otherFeatures.contains { $0.code == feature.code }
        }
        guard let rarest = shared.min(by: { rarity.featureShare($0.code) < rarity.featureShare($1.code) }),
            let caseText = abductionCase.marksText, let foundText = found.marksText
        else { return }
        let ratio = log10(min(0.3 / rarity.featureShare(rarest.code), 30))
        // Worded only when the reasons are written: the shared words, and the clause of each
        // description that says them, as marks are quoted.
        guard tally.explain else { return tally.add(ratio, "", "") }
        let said = sharedRun(of: foundText, among: Set(shared.map(\.word))) ?? rarest.word
        func words(of text: String) -> String {
            quote(text, Mark.wordings(of: text)) { $0.words.lowercased().contains(said) }
        }
        let (foundWords, caseWords) = (words(of: foundText), words(of: caseText))
        tally.add(
            ratio, "marks: \(foundWords) ~ \(caseWords) (both say \"\(said)\")",
            "体貌特征：\(foundWords) ~ \(caseWords)（都提到“\(said)”）")
    }

    /// The first words of a description (`Mark.wordings`) that say what a reason is about, cut to
    /// be shown; the whole description when no clause says it alone.
    static func quote(
        _ text: String, _ wordings: [(words: String, marks: [Mark])],
        saying says: ((words: String, marks: [Mark])) -> Bool
    ) -> String {
        short(wordings.first(where: says)?.words ?? text)
    }

    /// The longest stretch of `text` made of overlapping shared pairs: "撮白发" of 撮白 and 白发.
    static func sharedRun(of text: String, among pairs: Set<String>) -> String? {
        let characters = Array(text.lowercased())
        var best: Range<Int>?
        var start: Int?
        for index in characters.indices {
            let continues =
                index + 1 < characters.count && pairs.contains(String(characters[index...index + 1]))
            if continues, start == nil { start = index }
            if !continues, let first = start {
                if index + 1 - first > best?.count ?? 0 { best = first..<index + 1 }
                start = nil
            }
        }
        return best.map { String(characters[$0]) }
    }

    // MARK: - Names

    /// A syllable the child gave that the case's names lack: likely for the same child about one
    /// time in four (misheard past the dialect pairs, written with another sound), for another
    /// child about nine times in ten.
    static let unheardSyllable = 0.3
    /// A child's name is often replaced after separation (by those who bought the child, by a
    /// shelter): the name the child gives shares nothing with the family's about one time in
    /// four for the same child, nine in ten for another.
    static let replacedName = 0.25
    /// Syllables shared outside every form of the name a child gives (the whole name, the given
    /// name, the milk name: NameSounds.sequences), as "Jia" against 赵佳涵: the same child seldom
    /// gives one syllable from the middle of a name, while another child's name often shares one
    /// by chance. In the evaluation's register of 20,000 cases, none of 1,337 true pairs shared a
    /// name only that way, against 362 of 13,049 random pairs.
    static let syllableOutOfPlace = 0.1

    /// The ratio of what two names share (at most 10,000), with each syllable the child gave
    /// that no name of the case has, even heard alike, counting against: the same child's would
    /// be there but for a mishearing past the dialect pairs, another child's seldom is. All of
    /// a name unheard counts no more than a name replaced after separation.
    static func counting(unheard: Int, against sharedRatio: Double) -> Double {
        max(min(sharedRatio, 10_000) * pow(unheardSyllable, Double(unheard)), replacedName)
    }

    static func addNames(
        _ abductionCase: ChildDescription, _ found: ChildDescription, _ rarity: Rarity, to tally: inout Tally
    ) {
        let foundSounds = found.nameSounds
        let caseSounds = abductionCase.nameSounds
        guard !foundSounds.keyCodes.isEmpty, !caseSounds.keyCodes.isEmpty else { return }
        // Most pairs share no sound at all, which the folded keys alone tell.
        guard foundSounds.keyCodes.contains(where: caseSounds.keyCodes.contains) else {
            tally.add(
                log10(counting(unheard: foundSounds.unheard(against: []), against: 1)),
                "names: \(names(found)) and \(names(abductionCase)) sound different",
                "名字：\(names(found)) 与 \(names(abductionCase)) 读音不同")
            return
        }
        // A syllable heard as written is likelier for the same child than one that only sounds
        // alike in some dialect, and each is worth what its rarity says.
        var ratio = 1.0
        var matchedKeys: [UInt64] = []
        for code in foundSounds.syllableCodes
        where caseSounds.syllableCodes.contains(where: { $0.syllable == code.syllable }) {
            matchedKeys.append(code.key)
            ratio *= min(0.6 / rarity.syllableShare(code.syllable), 300)
        }
        for key in foundSounds.keyCodes where caseSounds.keyCodes.contains(key) && !matchedKeys.contains(key) {
            ratio *= min(0.25 / rarity.keyShare(key), 100)
        }
        // A whole name shared says more than its syllables one by one, and as written more than
        // as heard alike.
        var sequenceRatio = 1.0
        for sequence in foundSounds.sequenceCodes where caseSounds.sequenceCodes.contains(sequence) {
            sequenceRatio = max(sequenceRatio, min(0.6 / rarity.sequenceShare(sequence), 3000))
        }
        for sequence in foundSounds.foldedSequenceCodes where caseSounds.foldedSequenceCodes.contains(sequence) {
            sequenceRatio = max(sequenceRatio, min(0.25 / rarity.sequenceShare(sequence), 1000))
        }
        // A whole name in Latin letters in the other order ("Hao Wang" against 王浩).
        for name in foundSounds.wholeNameCodes where caseSounds.wholeNameCodes.contains(name) {
            sequenceRatio = max(sequenceRatio, min(0.6 / rarity.sequenceShare(name), 3000))
        }
        let shared = sequenceRatio > 1 ? max(ratio, sequenceRatio) : ratio * syllableOutOfPlace
        let unheard = foundSounds.unheard(against: caseSounds.keyCodes)
        var sounds: String { sharedSounds(foundSounds, caseSounds) }
        tally.add(
            log10(counting(unheard: unheard, against: shared)),
            "names: \(names(found)) ~ \(names(abductionCase)) (\(sounds))",
            "名字：\(names(found)) ~ \(names(abductionCase))（\(sounds)）")
    }

    /// The syllables two names share, as written ("bo"), or as heard alike ("qian ~ qiang");
    /// a name of two syllables or more shared whole, as one ("xiao-ming"), since that is what
    /// weighs: the same given name, not two syllables that happen to meet.
    static func sharedSounds(_ found: NameSounds, _ abductionCase: NameSounds) -> String {
        let found = found.words
        let abductionCase = abductionCase.words
        let wholeNames =
            found.sequences.filter { $0.contains("-") && abductionCase.sequences.contains($0) }
            .union(found.wholeNames.intersection(abductionCase.wholeNames))
        if let longest = wholeNames.max(by: { ($0.count, $1) < ($1.count, $0) }) { return longest }
        var shared: [String] = []
        let caseSyllables = abductionCase.syllables.sorted()
        for syllable in found.syllables.sorted() {
            if abductionCase.syllables.contains(syllable) {
                shared.append(syllable)
            } else if let alike = caseSyllables.first(where: {
                Pinyin.fold($0) == Pinyin.fold(syllable)
            }) {
                shared.append("\(syllable) ~ \(alike)")
            }
        }
        return shared.joined(separator: ", ")
    }

    /// A found child gives a parent's name as the family wrote it about half the time (a young
    /// child knows a parent's name by ear, and staff write it as they hear it); a random family's
    /// parent has it as often as the node's records name parents so.
    static let parentNameAsWritten = 0.5
    /// A parent's name sharing no sound with the one the child gave, for the same child: one
    /// misremembered, or a reporter the family calls father who is not (a stepfather).
    static let parentNameDiffers = 0.3
    /// A reporter who does not say who they are is the parent the child named about half the
    /// time (most reporters are a parent, father or mother); a name the child gave that is not
    /// theirs says nothing against the case.
    static let unstatedReporterIsThatParent = 0.5

    /// The name a found child gave for a father or a mother against the case's reporter, when
    /// the reporter is that parent. The same whole name is evidence as rare as the name is among
    /// the parents the node's records name; no sound shared counts against; a surname shared
    /// alone says nothing more than the child's own surname does.
    static func addParentNames(
        _ abductionCase: ChildDescription, _ found: ChildDescription, _ rarity: Rarity, to tally: inout Tally
    ) {
        // Most found children name no parent: told first, most pairs end here without reading
        // the case's list, where a query scores tens of thousands of pairs.
        guard !found.parentNames.isEmpty else { return }
        for reporter in abductionCase.parentNames {
            guard let parent = reporter.parent else {
                // Either parent the child named may be the reporter; neither may be.
                for told in found.parentNames {
                    guard let parent = told.parent,
                        let shared = told.wholeNameCodes.first(where: reporter.wholeNameCodes.contains)
                    else { continue }
                    let asWritten = parentNameAsWritten * unstatedReporterIsThatParent
                    tally.add(
                        log10(min(asWritten / rarity.parentNameShare(shared), 3000)),
                        "\(parent.english)'s name: \(told.name) ~ reporter \(reporter.name) (relation not given)",
                        "\(parent.chinese)姓名：\(told.name) ~ 报案人\(reporter.name)（未填与孩子关系）")
                    break
                }
                continue
            }
            guard let told = found.parentNames.first(where: { $0.parent == parent }) else { continue }
            if let shared = told.wholeNameCodes.first(where: reporter.wholeNameCodes.contains) {
                tally.add(
                    log10(min(parentNameAsWritten / rarity.parentNameShare(shared), 3000)),
                    "\(parent.english)'s name: \(told.name) ~ reporter \(reporter.name) (\(parent.english))",
                    "\(parent.chinese)姓名：\(told.name) ~ 报案人\(reporter.name)（\(parent.chinese)）")
            } else if !told.keyCodes.contains(where: reporter.keyCodes.contains) {
                tally.add(
                    log10(parentNameDiffers),
                    "\(parent.english)'s name: \(told.name) and reporter \(reporter.name) (\(parent.english)) sound different",
                    "\(parent.chinese)姓名：\(told.name) 与报案人\(reporter.name)（\(parent.chinese)）读音不同")
            }
        }
    }

    static func names(_ description: ChildDescription) -> String {
        description.names.joined(separator: " / ")
    }

    // MARK: - Age, place and time

    /// The found child's estimated birth against the case's (possibly partial) birth date:
    /// a normal error around the estimate, with a wider tail for estimates that are far off.
    static func addAge(_ abductionCase: ChildDescription, _ found: ChildDescription, to tally: inout Tally) {
        guard let born = abductionCase.bornDays, let bornDate = abductionCase.born, let estimate = found.estimatedBirth
        else { return }
        func density(_ spread: Double) -> Double {
            let low = Double(born.lowerBound) - 0.5
            let high = Double(born.upperBound) + 0.5
            let mass = normalCDF((high - estimate.day) / spread) - normalCDF((low - estimate.day) / spread)
            return mass / (high - low)
        }
        let likelihood = 0.95 * density(estimate.spread) + 0.05 * density(3 * estimate.spread)
        let ratio = max(likelihood * birthSpanDays, 1e-4)
        // Computed only when the reasons are written: most comparisons are never shown.
        var estimated: String { month(ofDay: Int(estimate.day)) }
        var spread: Int { Int((estimate.spread / daysPerMonth).rounded()) }
        tally.add(
            log10(ratio), "born \(bornDate), estimated \(estimated) ± \(spread) months",
            "出生 \(bornDate)，估计 \(estimated) ± \(spread) 个月")
    }

    /// Time and distance. The time from going missing to being found: many children are found
    /// within weeks (intercepted in transit), the rest over years; against a random case, whose
    /// child went missing any time in the registers' twenty years. Distance is weak evidence:
    /// traffickers move children across provinces, so a far place lowers the score only a
    /// little, and a near one raises it by at most about ten. Both are assumptions, stated here
    /// so they can be checked against a node's own reunions.
    static func addPlaceAndTime(
        _ abductionCase: ChildDescription, _ found: ChildDescription, _ rarity: Rarity, to tally: inout Tally
    ) {
        guard abductionCase.eventDays.lowerBound > Int.min / 2, found.eventDays.lowerBound > Int.min / 2 else { return }
        let gap = Self.gap(from: abductionCase.eventDays, to: found.eventDays)
        let timeRatio = min(gap.density * registerSpanDays, 30)
        var after: String { gap.words(days: "days", months: "months", to: "to") + " after" }
        var afterChinese: String { "走失后 " + gap.words(days: "天", months: "个月", to: "至") }
        guard let a = abductionCase.coordinates, let b = found.coordinates else {
            // Without coordinates, a place both records name (成都 in "四川成都" and "成都市救助站")
            // says as much as being near, weighed by how many records name it. In characters if
            // both write it so, else as pinyin ("Chengdu").
            let inCharacters = !abductionCase.placeCodes.isEmpty && !found.placeCodes.isEmpty
            if let rarest = rarestSharedPlace(
                abductionCase, (found.placeCodes, found.placeSoundCodes), inCharacters: inCharacters, rarity)
            {
                let nearRatio = min(0.3 / rarity.placeShare(rarest), 10)
                var place: String {
                    inCharacters
                        ? ChildDescription.sharedPlaceName(abductionCase.placeText, found.placeText)
                        : "\(found.placeText) ~ \(abductionCase.placeText)"
                }
                tally.add(
                    log10(timeRatio * nearRatio), "found in \(place), where last seen, \(after)",
                    "在走失的地方（\(place)）被找到，\(afterChinese)")
            } else {
                tally.add(log10(timeRatio), "found \(after) going missing", "\(afterChinese)被找到")
            }
            return
        }
        let km = distanceKm(a, b)
        tally.add(
            log10(timeRatio * (0.65 + 10.5 * exp(-km / 100))),
            "found \(grouped(Int(km.rounded()))) km from where last seen, \(after)",
            "在距走失地 \(grouped(Int(km.rounded()))) 公里处被找到，\(afterChinese)")
    }

    /// A child who says where home is names the case's place (where they went missing, near
    /// home as a rule) about half the time: the same province or city, where the child may name
    /// a county or a village the case does not; another child's home is there as often as the
    /// records name the place.
    static let homeNamesThePlace = 0.5
    /// The home a child named shares no place name with where the case's child went missing.
    static let homeElsewhere = 0.5

    /// Where the found child said home is, against where the case's child went missing: the
    /// rarest place name both name, in characters if both are written so, else as pinyin.
    static func addHome(
        _ abductionCase: ChildDescription, _ found: ChildDescription, _ rarity: Rarity, to tally: inout Tally
    ) {
        guard let home = found.home else { return }
        let inCharacters = !home.codes.isEmpty && !abductionCase.placeCodes.isEmpty
        guard inCharacters || (!home.soundCodes.isEmpty && !abductionCase.placeSoundCodes.isEmpty) else { return }
        let place = abductionCase.placeText
        if let rarest = rarestSharedPlace(
            abductionCase, (home.codes, home.soundCodes), inCharacters: inCharacters, rarity)
        {
            tally.add(
                log10(min(homeNamesThePlace / rarity.placeShare(rarest), 100)),
                "home, as the child said: \(home.text) ~ last seen in \(place)",
                "孩子说家在\(home.text) ~ 走失地\(place)")
        } else {
            tally.add(
                log10(homeElsewhere), "home, as the child said: \(home.text), not where last seen (\(place))",
                "孩子说家在\(home.text)，不是走失地（\(place)）")
        }
    }

    /// The rarest place name the case's place shares with another place (the found place, or
    /// home as the child said): pairs of characters when both are written so, else as pinyin.
    static func rarestSharedPlace(
        _ abductionCase: ChildDescription, _ other: (codes: [UInt64], soundCodes: [UInt64]), inCharacters: Bool,
        _ rarity: Rarity
    ) -> UInt64? {
        let shared =
            inCharacters
            ? abductionCase.placeCodes.filter(other.codes.contains)
            : abductionCase.placeSoundCodes.filter(other.soundCodes.contains)
        return shared.min { rarity.placeShare($0) < rarity.placeShare($1) }
    }

    /// The days from going missing to being found, which partial dates leave a range of: from
    /// the latest day the child could have gone missing to the earliest they could have been
    /// found, to the other way about, never less than none.
    struct Gap {
        let shortest: Int
        let longest: Int

        /// The density of the time to being found, averaged over the range: 20 % found within
        /// weeks (mean 45 days), 80 % over years (mean four years). A date of a year or a month
        /// is every day of it alike, not its first: "2016" against "2016-05" was "0 days after".
        var density: Double {
            func share(beyond days: Double, mean: Double) -> Double { exp(-days / mean) }
            let (short, long) = (Double(shortest), Double(longest))
            guard longest > shortest else {
                return 0.2 * share(beyond: short, mean: 45) / 45 + 0.8 * share(beyond: short, mean: 1460) / 1460
            }
            let within = { (mean: Double) in share(beyond: short, mean: mean) - share(beyond: long, mean: mean) }
            return (0.2 * within(45) + 0.8 * within(1460)) / (long - short)
        }

        /// "12 days", "3 to 33 days", "14 months", "0 to 8 months".
        func words(days: String, months: String, to: String) -> String {
            guard longest >= 60 else {
                return longest > shortest ? "\(shortest) \(to) \(longest) \(days)" : "\(shortest) \(days)"
            }
            let (few, many) = (Self.months(shortest), Self.months(longest))
            return many > few ? "\(few) \(to) \(many) \(months)" : "\(many) \(months)"
        }

        static func months(_ days: Int) -> Int { Int((Double(days) / daysPerMonth).rounded()) }
    }

    /// The gap between a case's day of going missing and a found child's day of being found,
    /// each a range of days (a partial date).
    static func gap(from missing: ClosedRange<Int>, to found: ClosedRange<Int>) -> Gap {
        let shortest = max(0, found.lowerBound - missing.upperBound)
        return Gap(shortest: shortest, longest: max(shortest, found.upperBound - missing.lowerBound))
    }

    static func distanceKm(_ a: (lat: Double, lon: Double), _ b: (lat: Double, lon: Double)) -> Double {
        let radians = Double.pi / 180
        let dLat = (b.lat - a.lat) * radians
        let dLon = (b.lon - a.lon) * radians
        let h =
            sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * radians) * cos(b.lat * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * 6371 * asin(min(1, h.squareRoot()))
    }

    // MARK: - Wording

    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.squareRoot()) }

    /// `3.1e9`, or a plain number below 1,000.
    static func scientific(_ log10Value: Double) -> String {
        if log10Value < 3 && log10Value > -3 {
            let value = pow(10, log10Value)
            return value >= 10 ? String(Int(value.rounded())) : String(Double(Int(value * 100)) / 100)
        }
        let exponent = Int(log10Value.rounded(.down))
        let mantissa = (pow(10, log10Value - Double(exponent)) * 10).rounded() / 10
        return mantissa >= 10 ? "1.0e\(exponent + 1)" : "\(mantissa)e\(exponent)"
    }

    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    static func short(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(39)) + "…"
    }

    /// `2011-03` for a day number (days since 1970-01-01).
    static func month(ofDay day: Int) -> String {
        let date = PartialDate.civil(fromDay: day)
        return "\(date.year)-\(date.month < 10 ? "0" : "")\(date.month)"
    }
}
