"""Which province a text is about or names: one home for the province names in both scripts and English."""

from __future__ import annotations

from qa.text import to_simplified

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


def provinces_named(text: str) -> list[str]:
    """The provinces ``text`` names (either script), in the order they first appear."""
    simplified = to_simplified(text)
    found = [(simplified.index(province), province) for province in PROVINCES if province in simplified]
    return [province for _position, province in sorted(found)]


def mentioned_region(text: str) -> str | None:
    """The one province ``text`` names, if it names exactly one."""
    named = provinces_named(text)
    return named[0] if len(named) == 1 else None


def detect_region(title: str, file_name: str, text: str) -> str | None:
    """The province a report is about: named in its title, else its file name, else the one its
    text names most often (at least three times)."""
    for candidate in (title, file_name):
        named = provinces_named(candidate)
        if named:
            return named[0]
    simplified = to_simplified(text)
    counts = {province: simplified.count(province) for province in PROVINCES}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= 3 else None
