"""Small reports of several years and levels, written by the tests: four provinces' 2025 reports and
the national reports of 2010-2012, each with a review of the year before and the year's targets."""

from __future__ import annotations

from pathlib import Path

PROVINCES = {
    "北京": ("2025年北京市政府工作报告", "地区生产总值增长5.2%", "地区生产总值增长5%左右", "人形机器人"),
    "上海": ("2025年上海市政府工作报告", "全市生产总值增长5%", "全市生产总值增长5%左右", "人形机器人"),
    "重庆": ("2025年重庆市政府工作报告", "地区生产总值增长5.7%", "地区生产总值增长6%左右", None),
    "四川": ("2025年四川省政府工作报告", "地区生产总值增长5.7%", "地区生产总值增长5.5%以上", None),
}
NATIONAL = {
    2010: ("国内生产总值增长8.7%", "国内生产总值增长8%左右", "城镇新增就业900万人以上"),
    2011: ("国内生产总值增长10.3%", "国内生产总值增长8%左右", "城镇新增就业900万人以上"),
    2012: ("国内生产总值增长9.2%", "国内生产总值增长7.5%", "城镇新增就业900万人以上"),
}


def province_report(region: str) -> str:
    title, review, target, term = PROVINCES[region]
    extra = f"加快发展{term}等未来产业，培育新的增长点。" if term else "推进传统产业转型升级，巩固实体经济根基。"
    return "\n".join([
        title,
        "——2025年1月15日在第十六届人民代表大会第三次会议上",
        "各位代表：",
        "一、2024年工作回顾",
        f"过去一年，全{'市' if region in ('北京', '上海', '重庆') else '省'}经济运行稳中有进，{review}，"
        "城镇新增就业稳定增长，人民生活持续改善。",
        "二、2025年主要目标",
        f"今年经济社会发展的主要预期目标是：{target}，城镇调查失业率5.5%左右，居民消费价格涨幅2%左右。",
        "三、重点工作",
        f"{extra}深化改革开放，优化营商环境，持续保障和改善民生。",
    ]) + "\n"  # fmt: skip


def national_report(year: int) -> str:
    review, target, jobs = NATIONAL[year]
    return "\n".join([
        f"{year}年国务院政府工作报告",
        "各位代表：",
        f"一、{year - 1}年工作回顾",
        f"过去一年，我国经济社会发展取得显著成就，{review}，财政收入稳定增长，人民生活继续改善。",
        f"二、{year}年工作总体部署",
        f"今年经济社会发展的主要预期目标是：{target}；{jobs}，城镇登记失业率控制在4.6%以内。",
    ]) + "\n"  # fmt: skip


def write_corpus(folder: Path, *, provinces: bool = True, national: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if provinces:
        for region, (title, *_rest) in PROVINCES.items():
            (folder / f"{title}.txt").write_text(province_report(region), encoding="utf-8")
    if national:
        for year in NATIONAL:
            (folder / f"{year}年国务院政府工作报告.txt").write_text(national_report(year), encoding="utf-8")
    return folder


# Regions of three characters, the ones a squeezed table broke over two lines (内/蒙/古), written like
# the others: a 2025 report each with its growth target.
LONG_NAMES = {"内蒙古": ("自治区", "6%左右"), "黑龙江": ("省", "5%左右")}


def write_long_names(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for region, (kind, target) in LONG_NAMES.items():
        text = province_report("北京").replace("北京市", f"{region}{kind}").replace("全市", "全区")
        text = text.replace("地区生产总值增长5%左右", f"地区生产总值增长{target}")
        (folder / f"2025年{region}{kind}政府工作报告.txt").write_text(text, encoding="utf-8")
    return folder
