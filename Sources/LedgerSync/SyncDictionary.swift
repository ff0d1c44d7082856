import Crypto

/// The preset deflate dictionary both sides use (Protocol/SYNC.md, "Compression"): words that
/// recur in records, so a small nightly batch compresses as if earlier text had gone before
/// it. Changing one byte makes a different protocol; its SHA-256 is in the spec and tested.
public enum SyncDictionary {
    static let text = """
        abductionReported childFound sightingReported identityMatched matchRejected reunited corrected retracted \
        male female unknown mole scar birthmark left right cheek arm hand leg forehead neck ear back chest \
        hospital police station market bus train school shelter welfare institute children https://www. \
        省市区县镇乡村街道路号火车站汽车站菜市场人民医院儿童医院妇幼保健院公安局派出所福利院儿童福利院救助站 \
        北京天津河北山西内蒙古辽宁吉林黑龙江上海江苏浙江安徽福建江西山东河南湖北湖南广东广西海南重庆四川贵州云南西藏陕西甘肃青海宁夏新疆 \
        成都深圳广州昆明贵阳毕节郑州长沙南宁临沂莆田武汉西安杭州南京合肥福州南昌济南石家庄太原哈尔滨长春沈阳 \
        左脸右脸额头耳后脖子胸前后背手臂手腕腿脚有痣胎记疤痕烫伤黑痣红色胎记两个旋 \
        父亲母亲爷爷奶奶外公外婆哥哥姐姐志愿者护士医生民警 \
        王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢 \
        小明芳伟娜强敏静丽军杰磊洋勇艳涛超秀霞平刚桂英华玉兰萍红娟建国志宝贝乐欢天佳俊浩宇轩子涵梓萱 \
        网上出售男童女童婴儿核对户口本出生证明家属补充录入错误重复登记DNA排除血型不符
        """

    public static let bytes: [UInt8] = Array(text.utf8)

    /// Hex SHA-256 of the dictionary, as the spec states it.
    public static var sha256: String {
        SHA256.hash(data: bytes).map {
            String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
        }
        .joined()
    }
}
