"""Regions: one home for the country, the provinces (their names in both scripts and English, and
their kinds), the cities common in a library of reports, and which of them a text names or is about."""

from __future__ import annotations

from qa.text import to_simplified

# The country as a whole, as a region: national reports are its reports, 全国 its name in answers.
NATIONAL = "全国"
# The words by which a question or report names the country as a whole.
COUNTRY_WORDS = ("全国", "我国")

# Province-level divisions, short simplified names as used in report titles.
PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
    "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
)  # fmt: skip

PROVINCES_EN: dict[str, str] = {
    "beijing": "北京", "tianjin": "天津", "hebei": "河北", "shanxi": "山西", "inner mongolia": "内蒙古",
    "liaoning": "辽宁", "jilin": "吉林", "heilongjiang": "黑龙江", "shanghai": "上海", "jiangsu": "江苏",
    "zhejiang": "浙江", "anhui": "安徽", "fujian": "福建", "jiangxi": "江西", "shandong": "山东",
    "henan": "河南", "hubei": "湖北", "hunan": "湖南", "guangdong": "广东", "guangxi": "广西",
    "hainan": "海南", "chongqing": "重庆", "sichuan": "四川", "guizhou": "贵州", "yunnan": "云南",
    "tibet": "西藏", "xizang": "西藏", "shaanxi": "陕西", "gansu": "甘肃", "qinghai": "青海",
    "ningxia": "宁夏", "xinjiang": "新疆", "hong kong": "香港", "macau": "澳门", "macao": "澳门",
    "taiwan": "台湾",
}  # fmt: skip


# Their kinds: the four municipalities directly under the central government (北京市), the five
# autonomous regions (内蒙古自治区); the rest are provinces (湖北省) or special administrative regions.
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
AUTONOMOUS_REGIONS = ("内蒙古", "广西", "西藏", "宁夏", "新疆")
SPECIAL_REGIONS = ("香港", "澳门")

# Cities whose documents are common in a library of reports, with their province (the rest are
# found by the province the document names most).
CITIES = {
    "石家庄": "河北", "太原": "山西", "呼和浩特": "内蒙古", "包头": "内蒙古", "沈阳": "辽宁", "大连": "辽宁",
    "长春": "吉林", "哈尔滨": "黑龙江", "南京": "江苏", "苏州": "江苏", "无锡": "江苏", "杭州": "浙江",
    "宁波": "浙江", "温州": "浙江", "合肥": "安徽", "福州": "福建", "厦门": "福建", "泉州": "福建", "南昌": "江西",
    "济南": "山东", "青岛": "山东", "郑州": "河南", "洛阳": "河南", "武汉": "湖北", "宜昌": "湖北", "襄阳": "湖北",
    "长沙": "湖南", "广州": "广东", "深圳": "广东", "东莞": "广东", "佛山": "广东", "南宁": "广西", "海口": "海南",
    "三亚": "海南", "成都": "四川", "绵阳": "四川", "贵阳": "贵州", "遵义": "贵州", "昆明": "云南", "拉萨": "西藏",
    "西安": "陕西", "兰州": "甘肃", "西宁": "青海", "银川": "宁夏", "乌鲁木齐": "新疆", "黔南": "贵州",
}  # fmt: skip


def provinces_named(simplified: str) -> list[str]:
    """The provinces ``simplified`` (a text in simplified script) names, in the order they first appear."""
    found = [(simplified.index(province), province) for province in PROVINCES if province in simplified]
    return [province for _position, province in sorted(found)]


def mentioned_region(text: str) -> str | None:
    """The one province ``text`` (either script) names, if it names exactly one."""
    named = provinces_named(to_simplified(text))
    return named[0] if len(named) == 1 else None


def detect_region(title: str, file_name: str, text: str) -> str | None:
    """The province a report is about: named in its title, else its file name, else the one its
    text names most often (at least three times)."""
    for candidate in (title, file_name):
        named = provinces_named(to_simplified(candidate))
        if named:
            return named[0]
    simplified = to_simplified(text)
    counts = {province: simplified.count(province) for province in PROVINCES}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= 3 else None
