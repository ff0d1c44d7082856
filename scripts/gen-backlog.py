#!/usr/bin/env python3
"""Writes a realistic, deterministic import file: cases, found children, sightings, matches,
reunions and corrections, with Chinese names and places and some DNA profiles.

    scripts/gen-backlog.py N [SEED] > backlog.jsonl

Every line is valid for `reunite import` on an empty node: references are "#N".
"""
import json
import random
import sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "小明芳伟娜强敏静丽军杰磊洋勇艳涛超秀霞平刚桂英华玉兰萍红娟建国志宝贝乐乐欢天佳俊浩宇轩子涵梓萱"
PLACES = [("四川省成都市", 30.66, 104.06), ("广东省深圳市", 22.54, 114.06), ("贵州省毕节市", 27.30, 105.29),
          ("云南省昆明市", 25.04, 102.71), ("福建省莆田市", 25.45, 119.01), ("河南省郑州市", 34.75, 113.62),
          ("湖南省长沙市", 28.23, 112.94), ("广西壮族自治区南宁市", 22.82, 108.37), ("山东省临沂市", 35.10, 118.36)]
MARKS = ["左脸有痣", "右手腕有疤", "后脑勺有两个旋", "左耳后有胎记", "mole on left cheek", "burn scar on right arm",
         "胸前有红色胎记", "右眼角有小疤"]
LOCI = ["D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11", "D18S51", "Penta E", "D2S441",
        "D19S433", "TH01", "FGA", "D22S1045", "D5S818", "D13S317", "D7S820", "D6S1043", "D10S1248", "D1S1656"]


def profile(rng):
    return {locus: sorted([rng.choice([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 9.3, 30, 32.2]) for _ in range(2)])
            for locus in rng.sample(LOCI, 15)}


def name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def main():
    count = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 2026)
    cases, found, matched = [], [], []
    out = sys.stdout
    for line in range(1, count + 1):
        roll = rng.random()
        place, lat, lon = rng.choice(PLACES)
        if roll < 0.40 or not cases:
            year = rng.randint(2000, 2020)
            draft = {"kind": "abductionReported", "childName": name(rng), "sex": rng.choice(["male", "female"]),
                     "born": f"{year}-{rng.randint(1, 12):02d}", "missingSince": f"{year + rng.randint(1, 5)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     "place": place + rng.choice(["武侯区", "福田区", "七星关区", "火车站", "菜市场"]), "lat": lat, "lon": lon,
                     "marks": rng.choice(MARKS), "reporterName": name(rng), "reporterRelation": rng.choice(["父亲", "母亲", "爷爷"]),
                     "contact": f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}"}
            if rng.random() < 0.2:
                draft["dna"] = {"mother": profile(rng)}
            cases.append(line)
        elif roll < 0.80 or not found:
            draft = {"kind": "childFound", "foundOn": f"{rng.randint(2006, 2024)}-{rng.randint(1, 12):02d}",
                     "place": place, "lat": lat, "lon": lon, "sex": rng.choice(["male", "female", "unknown"]),
                     "ageMonths": rng.randint(1, 120), "ageUncertaintyMonths": rng.choice([3, 6, 12]),
                     "marks": rng.choice(MARKS), "reportedBy": place + "儿童福利院", "custody": place + "儿童福利院"}
            if rng.random() < 0.2:
                draft["dna"] = profile(rng)
            found.append(line)
        elif roll < 0.86:
            draft = {"kind": "sightingReported", "seenOn": f"{rng.randint(2010, 2024)}", "place": place,
                     "description": "网上有人出售" + rng.choice(["男童", "女童", "婴儿"]), "caseId": f"#{rng.choice(cases)}"}
        elif roll < 0.92:
            draft = {"kind": "matchRejected", "caseId": f"#{rng.choice(cases)}", "foundId": f"#{rng.choice(found)}",
                     "note": "DNA 排除", "decidedBy": "志愿者" + name(rng)}
        else:
            draft = {"kind": "corrected", "target": f"#{rng.choice(cases)}",
                     "changes": {"place": place + "人民公园"}, "reason": "家属补充"}
        out.write(json.dumps(draft, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
