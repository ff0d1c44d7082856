import LedgerCore
import NodeReading

/// Every word on the pages, written in both languages where it is used: `t("登录", "Sign in")`.
/// No label can exist in one language only.
public struct Words: Sendable {
    public let language: Language

    public init(_ language: Language) {
        self.language = language
    }

    public func callAsFunction(_ zh: String, _ en: String) -> String {
        language == .zh ? zh : en
    }

    /// The label of a field, by its JSON name (the names the ledger and the API use).
    public func label(_ field: String) -> String {
        switch field {
        case "childName": self("孩子姓名", "Child's name")
        case "sex": self("性别", "Sex")
        case "born": self("出生日期", "Born")
        case "missingSince": self("失踪日期", "Missing since")
        case "place": self("地点", "Place")
        case "lat": self("纬度", "Latitude")
        case "lon": self("经度", "Longitude")
        case "circumstances": self("经过", "Circumstances")
        case "marks": self("胎记、疤痕、痣", "Birthmarks, scars, moles")
        case "bloodType": self("血型", "Blood type")
        case "reporterName": self("报案人", "Reported by (parent)")
        case "reporterRelation": self("与孩子的关系", "Relation to the child")
        case "contact": self("联系方式", "Contact")
        case "otherNames": self("其他名字（小名等）", "Other names (milk names)")
        case "heightCm": self("身高（厘米）", "Height (cm)")
        case "policeCaseNumber": self("公安立案号", "Police case number")
        case "birthCertificate": self("出生证明（编号和医院）", "Birth certificate (serial, hospital)")
        case "dna": self("DNA 分型（JSON）", "DNA profile (JSON)")
        case "foundOn": self("发现日期", "Found on")
        case "name": self("孩子说的名字", "Name the child gives")
        case "ageMonths": self("估计年龄", "Estimated age")
        case "ageUncertaintyMonths": self("年龄误差（月）", "Age uncertainty (months)")
        case "custody": self("现在由谁照顾", "Who cares for the child now")
        case "reportedBy": self("登记单位", "Recorded by (institution)")
        case "seenOn": self("看到日期", "Seen on")
        case "description": self("描述", "Description")
        case "sourceUrl": self("来源链接", "Source link")
        case "caseId": self("寻亲案件", "Abduction case")
        case "foundId": self("被找到的孩子", "Found child")
        case "evidence": self("依据", "Evidence")
        case "note": self("备注", "Note")
        case "decidedBy": self("决定人", "Decided by")
        case "on": self("团聚日期", "Reunited on")
        case "target": self("记录", "Record")
        case "changes": self("更正内容", "Changes")
        case "reason": self("原因", "Reason")
        case "recordedBy": self("录入人", "Entered by")
        // The inputs of searches and of the record page's forms.
        case "from": self("从", "From")
        case "to": self("到", "To")
        case "status": self("状态", "Status")
        case "partner": self("另一条记录", "The other record")
        case "field": self("哪一项", "Field")
        default: field
        }
    }

    public func kind(_ kind: EventKind) -> String {
        switch kind {
        case .abductionReported: self("寻亲案件", "Abduction case")
        case .childFound: self("被找到的孩子", "Found child")
        case .sightingReported: self("线索", "Sighting")
        case .identityMatched: self("确认比对", "Match confirmed")
        case .matchRejected: self("排除比对", "Match rejected")
        case .reunited: self("团聚", "Reunion")
        case .corrected: self("更正", "Correction")
        case .retracted: self("撤销", "Retraction")
        }
    }

    public func group(_ group: RecordGroup) -> String {
        switch group {
        case .cases: self("寻亲案件", "Cases")
        case .found: self("被找到的孩子", "Found children")
        case .sightings: self("线索", "Sightings")
        case .matches: self("比对决定", "Match decisions")
        case .reunions: self("团聚", "Reunions")
        }
    }

    public func status(_ status: RecordStatus) -> String {
        switch status {
        case .open: self("寻找中", "open")
        case .matched: self("已比对", "matched")
        case .reunited: self("已团聚", "reunited")
        case .confirmed: self("已确认", "confirmed")
        case .rejected: self("已排除", "rejected")
        case .recorded: self("已登记", "recorded")
        case .disputed: self("有争议", "disputed")
        case .retracted: self("已撤销", "retracted")
        }
    }

    /// Who the child is, in one line: name, sex, birth or age, when and where. The pages and
    /// the command line (in English) both say it so.
    public func summary(of record: Record) -> String {
        let t = self
        let parts: [String] =
            record.kind == .abductionReported
            ? [
                record.text(.childName), Pages.display(record, .sex, t),
                record.fields[.born].map { t("生于 \($0.displayText)", "born \($0.displayText)") } ?? "",
                t("\(record.text(.missingSince)) 失踪", "missing since \(record.text(.missingSince))"),
                record.text(.place),
            ]
            : [
                record.text(.name), Pages.display(record, .sex, t),
                record.fields[.ageMonths].map { _ in t("约 ", "about ") + Pages.display(record, .ageMonths, t) } ?? "",
                t("\(record.text(.foundOn)) 被找到", "found on \(record.text(.foundOn))"), record.text(.place),
            ]
        return parts.filter { !$0.isEmpty }.joined(separator: " · ")
    }

    public func sex(_ value: String) -> String {
        switch value {
        case "male": self("男", "male")
        case "female": self("女", "female")
        case "unknown": self("不详", "unknown")
        default: value
        }
    }

    public func evidence(_ value: String) -> String {
        switch value {
        case "dna": "DNA"
        case "photo": self("照片", "photo")
        case "marks": self("体貌特征", "marks")
        case "documents": self("证件", "documents")
        case "testimony": self("证人证言", "testimony")
        default: value
        }
    }

    /// A ledger error, said next to the field it concerns. English keeps the ledger's own
    /// sentence, which quotes what was typed; Chinese says the same by the error's code and
    /// the field's type.
    public func error(_ error: LedgerError) -> String {
        guard language == .zh else { return error.message }
        let field = error.field.flatMap { name in Field.all.first { $0.name == name } }
        // A search's date range is read as dates are.
        let type = field?.type ?? (error.field == "from" || error.field == "to" ? .date : nil)
        switch error.code {
        case .missingField: return "必填"
        case .invalidValue, .invalidJSON:
            switch type {
            case .date?: return "日期格式不对：请写 YYYY、YYYY-MM 或 YYYY-MM-DD，且不能是将来的日期"
            case .sex?: return "请选择男、女或不详"
            case .bloodType?: return "血型应为 A、B、AB 或 O，可加 + 或 -"
            case .latitude?: return "纬度应在 -90 到 90 之间"
            case .longitude?: return "经度应在 -180 到 180 之间"
            case .months?: return "应为 0 到 1200 之间的月数"
            case .heightCm?: return "身高应在 20 到 300 厘米之间"
            case .dnaProfile?, .parentsDNA?: return "DNA 分型格式不对（见说明）：" + error.message
            case .text?: return "文字太长或含有不允许的字符"
            default: return "格式不对：" + error.message
            }
        case .unknownField: return "这类记录没有这一项"
        case .unknownRecord: return "找不到这条记录（请填写至少 8 位编号）"
        case .wrongRecord: return "记录类型不对，或已被撤销"
        case .ruleViolated:
            switch error.field {
            case "missingSince": return "失踪日期早于出生日期"
            case "on": return "团聚日期早于孩子被找到的日期"
            case "foundId" where error.message.hasSuffix("confirm the match first"):
                return "这个案件和这个孩子之间还没有已确认的比对：请先确认比对"
            case "foundId": return "孩子被找到的日期早于案件中孩子出生或失踪的日期，不可能是同一个孩子"
            default: return "不符合登记规则：" + error.message
            }
        case .malformedEvent: return "数据损坏：" + error.message
        }
    }
}
