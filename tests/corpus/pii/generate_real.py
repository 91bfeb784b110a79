#!/usr/bin/env python3
"""Generates the "real chat" PII corpus: tests/corpus/pii/corpus_real.jsonl (issue #18).

Written from how customers actually type in customer-service chats (e-commerce, banking,
telecom, logistics, healthcare, government services; zh-CN, zh-TW/HK, en, mixed; colloquial,
emoji, full-width, line breaks, JSON and URL fragments), not from the scanner's code: the
templates below were written from the list of forms in issue #18 and from chat habits, before
the recognisers for them existed. Decoys that must NOT be masked sit beside them (service and
toll-free numbers, year ranges, amounts, room numbers, product codes, cue words with no value,
wrong check digits).

Deterministic (fixed seed); `--check` fails when the committed file differs.

Every identifier is synthetic: random digits given valid check characters by the published
algorithms (GB 11643-1999, Luhn, HKID mod 11, Taiwan ID mod 10); names are random combinations
of common surnames and given names.

Same line format and span conventions as corpus.jsonl (UTF-8 byte offsets), plus:
  - a value split by a line break or spaces is one entity covering the break;
  - "(+852) 6326 7415" includes both parentheses; "00852 ..." includes the 00;
  - HKID / Macau ID include the check digit in parentheses: A123456(7), 1234567(8), also with
    a space before them (C433978 (7)); typed without parentheses they cover the 8 characters;
  - an IPv6 address glued to a word (fe80::1ab8ping) ends at its last group;
  - "852 6642 5044" (a country code typed without + or 00) is one phone_intl;
  - obfuscated e-mails cover "name at domain dot com" whole;
  - structured fields ("name":"胡春燕", name=XIE%20YONG) cover the value without quotes;
  - cue-based values (codes, account ids, record numbers, dates, names) cover the value only;
    a ROC date includes its 民國/民国 prefix.
"""
import argparse
import json
import os
import random
import sys

SEED = 20261205
TARGET_MESSAGES = 2000
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus_real.jsonl")

R = random.Random(SEED)


def digits(n):
    return "".join(R.choice("0123456789") for _ in range(n))


def E(kind, value):
    return (kind, value)


# ---- published check algorithms -----------------------------------------------------------

def id_check_char(body17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights)) % 11]


def luhn_check_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def hkid_check(prefix, six):
    # Hong Kong Identity Card: a space (value 36) pads a one-letter prefix; letters A=10..Z=35;
    # weights 9..2 over the 8 characters; check = 11 - sum mod 11 (10 -> A, 11 -> 0).
    chars = (" " + prefix if len(prefix) == 1 else prefix) + six
    values = [36 if c == " " else (ord(c) - 55 if c.isalpha() else int(c)) for c in chars]
    s = sum(v * w for v, w in zip(values, range(9, 1, -1)))
    c = 11 - s % 11
    return "0" if c == 11 else "A" if c == 10 else str(c)


TW_LETTERS = {"A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34, "J": 18,
              "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25, "S": 26, "T": 27,
              "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33}


def tw_id_check(letter, eight):
    v = TW_LETTERS[letter]
    s = v // 10 + (v % 10) * 9 + sum(int(c) * w for c, w in zip(eight, [8, 7, 6, 5, 4, 3, 2, 1]))
    return str((10 - s % 10) % 10)


# ---- values ------------------------------------------------------------------------------

MOBILE_PREFIXES = ["133", "135", "136", "138", "139", "150", "152", "157", "158", "159", "166", "173", "176",
                   "177", "180", "181", "185", "186", "187", "188", "189", "191", "193", "198", "199"]


def mobile():
    return R.choice(MOBILE_PREFIXES) + digits(8)


def mobile_split():
    n = mobile()
    return R.choice([n[:3] + "\n" + n[3:], n[:7] + "\n" + n[7:], n[:3] + " " + n[3:7] + "\n" + n[7:],
                     n[:4] + " " + n[4:7] + " " + n[7:], n[:3] + " " + n[3:6] + " " + n[6:],
                     n[:5] + " " + n[5:], n[:3] + "  " + n[3:7] + "  " + n[7:]])


REGIONS = ["110101", "110105", "310104", "320106", "330106", "440106", "440305", "510104", "420102",
           "610102", "370102", "350102", "500103", "210102"]


def cn_id_value():
    body = R.choice(REGIONS) + "%04d%02d%02d" % (R.randint(1950, 2005), R.randint(1, 12), R.randint(1, 28)) + digits(3)
    return body + id_check_char(body)


def cn_id_wrong():
    v = cn_id_value()
    return v[:-1] + R.choice([c for c in "0123456789X" if c != v[-1]])


def cn_id_split():
    v = cn_id_value()
    return R.choice([v[:6] + "\n" + v[6:], v[:10] + "\n" + v[10:], v[:14] + "\n" + v[14:],
                     v[:6] + " " + v[6:10] + " " + v[10:14] + " " + v[14:]])


def card_value():
    prefix, length = R.choice([("622202", 19), ("621700", 19), ("622848", 19), ("6225", 16), ("4", 16),
                               ("5", 16), ("6214", 16)])
    if prefix == "5":
        prefix = R.choice(["51", "52", "53", "54", "55"])
    body = prefix + digits(length - len(prefix) - 1)
    return body + luhn_check_digit(body)


def card_split():
    v = card_value()
    groups = [v[i:i + 4] for i in range(0, len(v), 4)]
    cut = R.randint(1, len(groups) - 1)
    return R.choice([" ".join(groups[:cut]) + "\n" + " ".join(groups[cut:]), v[:8] + "\n" + v[8:],
                     v[:6] + " " + v[6:]])


def hkid_value(paren="()"):
    prefix = R.choice("ABCDEGHKMPRVYZ") if R.random() < 0.85 else R.choice(["XA", "WX", "CA"])
    six = digits(6)
    return prefix + six + paren[0] + hkid_check(prefix, six) + paren[1]


def hkid_wrong():
    prefix = R.choice("ACDEGKPRVZ")
    six = digits(6)
    good = hkid_check(prefix, six)
    return prefix + six + "(" + R.choice([c for c in "0123456789A" if c != good]) + ")"


def tw_id_value():
    letter = R.choice("ABCDEFGHJKLMNPQRSTUVXYWZIO")
    eight = R.choice("12") + digits(7)
    return letter + eight + tw_id_check(letter, eight)


def tw_id_wrong():
    letter = R.choice("ABEFHKMNPRT")
    eight = R.choice("12") + digits(7)
    good = tw_id_check(letter, eight)
    return letter + eight + R.choice([c for c in "0123456789" if c != good])


def mo_id_value():
    return R.choice("157") + digits(6) + "(" + digits(1) + ")"


def tw_mobile():
    n = "09" + digits(8)
    return R.choice([n[:4] + "-" + n[4:7] + "-" + n[7:], n[:4] + " " + n[4:7] + " " + n[7:], n,
                     n[:4] + "-" + n[4:]])


def tw_landline():
    return R.choice(["02-%s-%s" % (R.choice("23456789") + digits(3), digits(4)),
                     "(02)%s-%s" % (R.choice("2345678") + digits(3), digits(4)),
                     "04-%s-%s" % (R.choice("2345") + digits(3), digits(4)),
                     "07-%s-%s" % (R.choice("3567") + digits(2), digits(4))])


def hk_phone():
    first = R.choice("235679")
    n = first + digits(7)
    return R.choice([n[:4] + " " + n[4:], n[:4] + "-" + n[4:], n[:4] + " " + n[4:]])


def mo_phone():
    n = R.choice(["66", "62", "63", "68", "28"]) + digits(6)
    return n[:4] + " " + n[4:]


def intl_00():
    return R.choice(["00852 %s %s" % (R.choice("569") + digits(3), digits(4)),
                     "00886 9%s %s %s" % (digits(2), digits(3), digits(3)),
                     "001 %s %s %s" % (R.choice("2345678") + digits(2), R.choice("2345678") + digits(2), digits(4)),
                     "0044 20 %s %s" % (digits(4), digits(4)),
                     "00853 6%s %s" % (digits(3), digits(4))])


def paren_intl():
    return R.choice(["(+852) %s %s" % (R.choice("569") + digits(3), digits(4)),
                     "(+886) 9%s-%s-%s" % (digits(2), digits(3), digits(3)),
                     "(+853) 6%s %s" % (digits(3), digits(4))])


# Issue #18, second round: forms an independent evaluation corpus found missing.

def hk_compact():
    while True:
        n = R.choice("235679") + digits(7)
        if not (n[:2] in ("19", "20") and n[4] in "12" and n[5] in "90"):
            return n


def hk_fixed_compact():
    return R.choice("23") + digits(7)


def cn_landline_compact():
    return R.choice(["0731", "0755", "0571", "0591", "0898", "020", "021", "010"]) + R.choice("2345678") + digits(7)


def hkid_compact():
    prefix = R.choice("ACDEGKPRVZ")
    six = digits(6)
    check = hkid_check(prefix, six)
    return prefix + six + check if check != "A" else prefix + six + "0" if hkid_check(prefix, six) == "0" else hkid_compact()


def hkid_spaced():
    v = hkid_value()
    return v[:-3] + " " + v[-3:]


def hkid_compact_wrong():
    prefix = R.choice("ACDEGKPRVZ")
    six = digits(6)
    good = hkid_check(prefix, six)
    return prefix + six + R.choice([c for c in "0123456789" if c != good])


def mo_id_compact():
    return R.choice("157") + digits(7)


def foreign_passport():
    return R.choice([R.choice("KMNPRST") + digits(7), R.choice("KMNPRST") + digits(8), "TZ" + digits(7),
                     "GB" + digits(7), R.choice("123456789") + digits(8), "AB" + digits(6)])


def ipv6_glued():
    return R.choice(["fe80::" + R.choice("123456789") + R.choice("abcdef") + R.choice("abcdef") + digits(1),
                     "2001:db8::" + digits(1) + R.choice("abcdef") + digits(2),
                     "2408:8207:%s::%s" % (digits(4), digits(1) + R.choice("abcdef"))])


def bare_cc_phone():
    return R.choice(["852 %s %s" % (R.choice("569") + digits(3), digits(4)),
                     "853 6%s %s" % (digits(3), digits(4)),
                     "886 9%s %s %s" % (digits(2), digits(3), digits(3))])


FIRST_EN = ["Emily", "Michael", "Sarah", "David", "Laura", "James", "Olivia", "Daniel", "Grace", "Kevin",
            "Jessica", "Brian", "Rachel", "Tom", "Amy", "Steven", "Karen", "Eric", "Linda", "Jason"]
LAST_EN = ["Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Clark", "Walker", "Chen", "Wong",
           "Lee", "Lam", "Cheung", "Ho", "Ng", "Garcia", "Martin", "Anderson", "Thompson", "Harris"]
PINYIN_SURNAMES = ["XIE", "WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO", "WU", "ZHOU", "XU",
                   "SUN", "MA", "ZHU", "HU", "GUO", "HE", "LIN", "LUO"]
PINYIN_GIVEN = ["YONG", "WEI", "FANG", "NA", "MIN", "JING", "LEI", "QIANG", "JUN", "YAN", "JIE", "TAO",
                "XIAOMING", "JIANGUO", "HAIYAN", "CHUNYAN", "ZIHAN", "YUXUAN"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
TW_SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴"
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "慕容", "歐陽", "司徒", "东方"]
GIVEN = "春燕小龙伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建文玲萍红鹏飞宇浩欣怡子涵梓轩博睿思雨佳琪晨嘉俊志美淑惠雅婷宗翰冠宇怡君家豪"


def cn_name(tw=False):
    if R.random() < 0.06:
        surname = R.choice(COMPOUND)
    else:
        surname = R.choice(TW_SURNAMES if tw else SURNAMES)
    return surname + "".join(R.choice(GIVEN) for _ in range(R.choice([1, 2, 2, 2])))


def en_name_initial():
    return R.choice(FIRST_EN) + " " + R.choice("ABCDEFGHJKLMNPRSTW") + ". " + R.choice(LAST_EN)


def en_name_lower():
    return (R.choice(FIRST_EN) + " " + R.choice(LAST_EN)).lower()


CANTO_GIVEN = ["Ka-ho", "Wai-man", "Siu-ming", "Ka-yan", "Chi-wai", "Mei-ling", "Tsz-kin"]
CANTO_SURNAMES = ["CHOW", "CHAN", "WONG", "LEUNG", "CHEUNG", "LAU", "LEE", "HO", "NG", "LAM"]


def en_name():
    return R.choice(FIRST_EN) + " " + R.choice(LAST_EN)


def pinyin_name():
    return R.choice(PINYIN_SURNAMES) + " " + R.choice(PINYIN_GIVEN)


def email_local():
    return R.choice(["zhangwei", "lily.chen", "wang_fang88", "jason.lee", "amywong", "hu.chunyan", "xieyong1990",
                     "kevin.ho", "tom_smith", "linda2024"])


def obfuscated_email():
    local = email_local()
    domain, tld = R.choice([("gmail", "com"), ("163", "com"), ("qq", "com"), ("outlook", "com"),
                            ("yahoo", "com.tw"), ("hotmail", "com")])
    tld_spoken = " dot ".join(tld.split("."))
    return R.choice([local + " at " + domain + " dot " + tld_spoken, local + "#" + domain + "." + tld,
                     local + "(at)" + domain + "." + tld, local + " [at] " + domain + " [dot] " + tld_spoken,
                     local + " AT " + domain + " DOT " + tld_spoken.upper(), local + "@" + domain + "." + tld])


def passport_value():
    v = R.choice(["E" + digits(8), "E" + R.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(7), "G" + digits(8)])
    style = R.random()
    if style < 0.3:
        return v.lower()
    if style < 0.55:
        return v[0] + " " + v[1:] if v[1].isdigit() else v[:2] + " " + v[2:]
    if style < 0.7:
        return v[:5] + " " + v[5:]
    return v


def code_spaced():
    c = digits(6)
    return R.choice([c[:3] + " " + c[3:], c[:2] + " " + c[2:4] + " " + c[4:], c[:3] + "-" + c[3:]])


def ip_value():
    return "%d.%d.%d.%d" % (R.randint(11, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))


def service_number():
    return R.choice(["95588", "95533", "95566", "95599", "10086", "10010", "10000", "95555", "12306", "12315",
                     "1069" + digits(4), "10690" + digits(3) + digits(4), "400-" + digits(3) + "-" + digits(4),
                     "4008" + digits(6), "800-820-" + digits(4), "8008" + digits(6)])


def us_toll_free():
    return R.choice(["1-800-", "1-888-", "1-877-", "1 (800) ", "1-866-"]) + R.choice("2345678") + digits(2) + "-" + digits(4)


def wechat_id():
    return R.choice(["wxid_", "", "", "zhang_", "Lily", "xy"]) + R.choice(["abc", "wei", "mm", "jj", "love"]) + digits(R.randint(2, 6))


def qq_number():
    return R.choice("123456789") + digits(R.randint(6, 9))


def alipay_id():
    return "2088" + digits(12)


def medical_record():
    return R.choice(["MZ" + digits(8), digits(10), "ZY" + digits(7), digits(8), "A" + digits(7)])


def tw_plate():
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return R.choice(["".join(R.choice(letters) for _ in range(3)) + "-" + digits(4),
                     "".join(R.choice(letters) for _ in range(2)) + "-" + digits(4),
                     digits(4) + "-" + "".join(R.choice(letters) for _ in range(2))])


def roc_date(tw=True):
    y, m, d = R.randint(40, 95), R.randint(1, 12), R.randint(1, 28)
    return R.choice(["民國%d年%d月%d日" % (y, m, d) if tw else "民国%d年%d月%d日" % (y, m, d),
                     "%02d/%02d/%02d" % (y, m, d), "%03d/%02d/%02d" % (y, m, d), "%d.%d.%d" % (y, m, d),
                     "民國%d年%d月" % (y, m)])


def dob_two_digit_year():
    y, m, d = R.randint(50, 99), R.randint(1, 12), R.randint(1, 28)
    return "%02d/%02d/%02d" % (m, d, y)


def address_zh():
    return R.choice(["北京市朝阳区建国路%d号" % R.randint(1, 200), "广东省深圳市南山区科技园路%d号%d栋%d室" % (R.randint(1, 99), R.randint(1, 9), R.randint(101, 2501)),
                     "台北市大安區忠孝東路四段%d巷%d號%d樓" % (R.randint(1, 300), R.randint(1, 80), R.randint(2, 20))])


# Addresses in free text, as customers type them: with or without the province, 市 left out
# (成都武侯区), spaces or a line break between the parts, full-width digits, building names.
CN_PLACES = [("广东省", "深圳市", "南山区"), ("广东省", "广州市", "天河区"), ("浙江省", "杭州市", "西湖区"),
             ("江苏省", "南京市", "玄武区"), ("四川省", "成都市", "武侯区"), ("湖北省", "武汉市", "洪山区"),
             ("", "北京市", "朝阳区"), ("", "上海市", "浦东新区"), ("", "重庆市", "渝中区"), ("山东省", "青岛市", "市南区"),
             ("", "天津市", "和平区"), ("河南省", "郑州市", "金水区")]
CN_ROADS = ["科技园南路", "建国路", "中山路", "文三路", "人民南路四段", "解放大道", "漕溪北路", "南京西路", "长江路",
            "五一路", "学院路", "张江路", "中关村大街", "文一西路"]
CN_BUILDINGS = ["华润大厦", "SOHO现代城", "阳光花园", "华星时代广场", "万科城", "金地中心"]


def address_cn_free():
    province, city, district = R.choice(CN_PLACES)
    roll = R.random()
    if roll < 0.15:
        place = [city, district]
    elif roll < 0.25:
        place = [city.rstrip("市"), district]  # 成都武侯区
    elif roll < 0.35:
        place = [district]
    else:
        place = [p for p in (province, city, district) if p]
    road = R.choice(CN_ROADS)
    number = "%d号" % R.randint(1, 999)
    tail = R.choice([
        "",
        "%d栋%d单元%d室" % (R.randint(1, 30), R.randint(1, 6), R.randint(101, 2904)),
        "%d号楼%d" % (R.randint(1, 12), R.randint(101, 2904)),
        "%s%d楼" % (R.choice(CN_BUILDINGS), R.randint(2, 40)),
        "%sA座%d" % (R.choice(CN_BUILDINGS), R.randint(101, 3008)),
        " %d-%d-%d" % (R.randint(1, 20), R.randint(1, 6), R.randint(101, 2904)),
    ])
    if road == "张江路":
        number = "%d弄%d号" % (R.randint(1, 1500), R.randint(1, 99))
    sep = R.choice(["", "", "", " ", "\n"])
    text = sep.join(place) + (sep if sep != "\n" else "") + road + number + tail
    if sep == "\n":
        text = "".join(place) + "\n" + road + number + tail
    return fullwidth(text) if R.random() < 0.12 else text


def address_cn_village():
    county = R.choice(["桐庐县", "安吉县", "宁乡县", "临安区"])
    return "%s%s镇%s村%d组%d号" % (county, R.choice(["分水", "梅溪", "花明", "太湖源"]), R.choice(["新华", "红旗", "东风", "前进"]),
                                R.randint(1, 12), R.randint(1, 99))


TW_PLACES = [("台北市", "大安區"), ("台北市", "信義區"), ("新北市", "板橋區"), ("高雄市", "前鎮區"), ("台中市", "西屯區"),
             ("桃園市", "中壢區"), ("台南市", "東區")]
TW_ROADS = ["忠孝東路四段", "文化路一段", "中山二路", "台灣大道三段", "中正路", "信義路五段", "民生東路三段"]


def address_tw():
    city, district = R.choice(TW_PLACES)
    text = city + district + R.choice(TW_ROADS)
    if R.random() < 0.5:
        text += "%d巷" % R.randint(1, 300)
        if R.random() < 0.4:
            text += "%d弄" % R.randint(1, 60)
    text += "%d號" % R.randint(1, 200)
    if R.random() < 0.6:
        text += "%d樓" % R.randint(2, 25)
        if R.random() < 0.3:
            text += "之%d" % R.randint(1, 5)
    return text


def address_hk_mo():
    return R.choice([
        "香港九龍旺角彌敦道%d號雅蘭中心%d樓" % (R.randint(1, 800), R.randint(2, 30)),
        "新界沙田火炭坳背灣街%d號 %d樓B室" % (R.randint(1, 60), R.randint(2, 30)),
        "香港中環皇后大道中%d號中環中心%d樓" % (R.randint(1, 200), R.randint(2, 70)),
        "九龍觀塘道%d號創紀之城%d樓" % (R.randint(1, 400), R.randint(2, 40)),
        "香港銅鑼灣軒尼詩道%d號%d樓" % (R.randint(1, 500), R.randint(2, 30)),
        "澳門氹仔成都街%d號" % R.randint(1, 300),
        "澳門新馬路%d號%d樓" % (R.randint(1, 200), R.randint(2, 20)),
    ])


EN_STREETS = ["Maple", "Baker", "Oak", "Elm", "Queen's", "King", "High", "Park", "5th", "42nd", "Evergreen",
              "Pennsylvania", "Downing", "Gloucester", "Lake Shore", "Sunset"]
EN_SUFFIXES = ["Street", "St", "Ave", "Avenue", "Road", "Rd", "Lane", "Drive", "Dr", "Blvd", "Way", "Court", "Place",
               "Terrace"]
EN_CITIES = [("Springfield", "IL 62704"), ("New York", "NY 10118"), ("Austin", "TX 78701"), ("Seattle", "WA 98101"),
             ("Portland", "OR 97205"), ("London", "NW1 6XE"), ("London", "SW1A 2AA"), ("Manchester", "M1 1AE"),
             ("Hong Kong", ""), ("Wan Chai", ""), ("Toronto", "")]


def address_en():
    number = str(R.randint(1, 9999)) + (R.choice(["A", "B"]) if R.random() < 0.1 else "")
    text = "%s %s %s" % (number, R.choice(EN_STREETS), R.choice(EN_SUFFIXES))
    if R.random() < 0.3:
        text += R.choice([" Apt %d%s" % (R.randint(1, 30), R.choice(["", "B", "C"])), ", Suite %d" % R.randint(100, 900),
                          " #%d" % R.randint(1, 40), ", Unit %d" % R.randint(1, 20)])
    city, postal = R.choice(EN_CITIES)
    roll = R.random()
    if roll < 0.6 and postal:
        text += ", %s%s%s" % (city, ", " if postal[0].isalpha() and postal[2] == " " else " ", postal)
    if R.random() < 0.12:
        text = R.choice(["Flat %d, " % R.randint(1, 40), "Unit %d, " % R.randint(1, 20), "Room %d, " % R.randint(101, 2505)]) + text
    return text


def address_en_city():
    """A street and a city with no postal code: the address ends with the clause."""
    return "%d %s %s, %s" % (R.randint(1, 9999), R.choice(EN_STREETS), R.choice(EN_SUFFIXES),
                             R.choice(["Hong Kong", "Wan Chai", "Toronto", "London", "Springfield"]))


def po_box():
    return R.choice(["PO Box", "P.O. Box", "PO box", "po box"]) + " %d" % R.randint(1, 99999)


def fullwidth(s):
    out = []
    for c in s:
        if "0" <= c <= "9" or "A" <= c <= "Z" or "a" <= c <= "z":
            out.append(chr(ord(c) + 0xFEE0))
        elif c == "(":
            out.append("（")
        elif c == ")":
            out.append("）")
        else:
            out.append(c)
    return "".join(out)


EMOJI = ["😀", "🙏", "👍", "📞", "😭", "🚚", "✅", "❤️", "🥲", "😅", "🤔", "👉"]
SORRY = ["麻烦了", "谢谢亲", "急！！", "在吗", "快点哈", "谢谢～", "感谢🙏", ""]
TW_TAIL = ["謝謝", "麻煩了", "感恩", "拜託", "急件", ""]


# ---- templates ---------------------------------------------------------------------------

def zh_cn():
    return [
        lambda: ["亲，我手机号", E("cn_mobile", mobile_split()), "，", R.choice(SORRY)],
        lambda: ["电话：\n", E("cn_mobile", mobile_split())],
        lambda: ["身份证号码", E("cn_id", cn_id_split()), " 帮我查下"],
        lambda: ["退款打到这张卡\n", E("bank_card", card_split()), "\n", R.choice(SORRY)],
        lambda: ["验证码 ", E("verification_code", code_spaced()), " 是这个吗"],
        lambda: ["短信验证码：", E("verification_code", code_spaced()), "，", R.choice(SORRY)],
        lambda: ["验证码是", service_number(), "发过来的，是官方的吗"],
        lambda: ["收到", service_number(), "的验证码短信，没点"],
        lambda: ["验证码", service_number(), "发的我没收到"],
        lambda: ["客服电话", service_number(), "打不通"],
        lambda: ["我登录IP", E("ipv4", ip_value()), "被封了"],
        lambda: ["护照号", E("passport", passport_value()), "，下周飞"],
        lambda: ["邮箱 ", E("email", obfuscated_email()), " 发票发这个"],
        lambda: ["收件人", E("name", cn_name()), "，", E("cn_mobile", mobile()), "，", R.choice(SORRY)],
        lambda: ["收件人：", E("name", cn_name()), " 电话", E("cn_mobile", mobile())],
        lambda: ["户名 ", E("name", cn_name()), " 卡号", E("bank_card", card_value())],
        lambda: ["寄件人", E("name", cn_name()), "，寄到上海"],
        lambda: ["我叫", E("name", cn_name()), R.choice(EMOJI), "想问下退货"],
        lambda: ["姓名：", E("name", cn_name()), "\n身份证：", E("cn_id", cn_id_value())],
        lambda: ["乘机人", E("name", cn_name()), "，护照", E("passport", passport_value())],
        lambda: ["加我微信 ", E("im_account", wechat_id()), " 细聊"],
        lambda: ["vx：", E("im_account", wechat_id()), R.choice(EMOJI)],
        lambda: ["微信号", E("im_account", wechat_id()), "，", R.choice(SORRY)],
        lambda: ["QQ ", E("im_account", qq_number()), " 有事找我"],
        lambda: ["我的qq号是", E("im_account", qq_number())],
        lambda: ["支付宝用户ID ", E("alipay_id", alipay_id()), " 转不了账"],
        lambda: ["我的支付宝账号id是", E("alipay_id", alipay_id())],
        lambda: ["病历号", E("medical_record", medical_record()), "，想查报告"],
        lambda: ["住院号：", E("medical_record", medical_record()), " 什么时候出院结算"],
        lambda: ["门诊号 ", E("medical_record", medical_record()), R.choice(SORRY)],
        lambda: ["{\"name\":\"", E("name", cn_name()), "\",\"mobile\":\"", E("cn_mobile", mobile()), "\"}"],
        lambda: ["{\"realName\": \"", E("name", cn_name()), "\", \"idCard\": \"", E("cn_id", cn_id_value()), "\"}"],
        lambda: ["{\"code\":\"", E("verification_code", digits(6)), "\",\"phone\":\"", E("cn_mobile", mobile()), "\"}"],
        lambda: ["https://m.example.com/pay?name=", E("name", cn_name()), "&mobile=", E("cn_mobile", mobile()), "&amount=99"],
        lambda: ["提交的数据 name=", E("name", cn_name()), "&address=", E("address", address_zh()), " 对吗"],
        lambda: ["{\"address\":\"", E("address", address_zh()), "\"}"],
        lambda: ["出生日期 ", E("dob", roc_date(False)), "，台湾身份证写的"],
        lambda: ["我这边电话", E("phone_intl", intl_00()), "，", R.choice(SORRY)],
        lambda: ["香港号码", E("phone_intl", paren_intl()), "也可以"],
        lambda: ["手机（全角）", E("cn_mobile", fullwidth(mobile())), R.choice(EMOJI)],
        lambda: [R.choice(["收货地址：", "地址：", "地址是", "寄到", "送到", "帮我寄到", "新地址：", "收货地址 ", "📍", "改成这个地址："]),
                 E("address", address_cn_free()), R.choice(["", "，", "。", " ", "，" + R.choice(SORRY)])],
        lambda: ["我家在", E("address", address_cn_free()), "，", R.choice(SORRY)],
        lambda: [E("address", address_cn_free()), "，收件人", E("name", cn_name()), "，", E("cn_mobile", mobile())],
        lambda: ["收件人", E("name", cn_name()), " ", E("cn_mobile", mobile()), "\n地址：", E("address", address_cn_free())],
        lambda: ["地址：", E("address", address_cn_village()), R.choice(["", "，" + R.choice(SORRY)])],
        lambda: ["麻烦发", E("address", address_cn_free()), R.choice(["", "，谢谢", R.choice(EMOJI)])],
        # decoys
        lambda: ["订单号", "2024" + digits(14), "还没发货😭"],
        lambda: ["我的名字写错了，怎么改"],
        lambda: ["验证码一直收不到啊", R.choice(EMOJI)],
        lambda: ["请拨打", service_number(), "转人工"],
        lambda: ["共", str(R.randint(2, 9)), "件，", "%d.%02d元" % (R.randint(10, 999), R.randint(0, 99))],
        lambda: ["2019-2020年度的发票能开吗"],
        lambda: ["病历本丢了怎么办"],
        lambda: ["微信支付", str(R.randint(10, 500)), "元，到账了吗"],
        lambda: ["QQ音乐会员", str(R.randint(1, 12)), "个月"],
        lambda: ["收件人写错了，能改吗"],
        lambda: ["身份证号码", cn_id_wrong(), "提示错误"],
        lambda: ["快递单号 SF", digits(12), " 一直没动"],
        lambda: ["型号 XR-", digits(3), "，有货吗"],
        lambda: [R.choice(["我在路上了，马上到", "3号线地铁到哪站下", "18号发货吗", "第3单元课程什么时候开", "市场部电话多少",
                           "有什么省钱的办法", "这两个有什么区别", "县城能送吗", "走中山路比较快", "人民路上那家店还开吗",
                           "号码是多少", "一路顺风", "我知道3号发货", "地址写错了，能改吗", "收货地址不对", "寄到付款可以吗",
                           "送到家了吗", "这里3号楼吗"]), R.choice(["", R.choice(EMOJI), "？"])],
        lambda: ["价格", str(R.randint(10, 99)), "元/号，", R.choice(SORRY)],
        # second round
        lambda: ["我的QQ号", E("im_account", qq_number()), "，加一下"],
        lambda: ["电话", E("cn_landline", cn_landline_compact()), "，白天打"],
        lambda: ["座机 ", E("cn_landline", cn_landline_compact()), " 找前台"],
        lambda: ["验证码没收到，刚才那个", E("verification_code", digits(6)), "不能用"],
        lambda: ["转账给", E("name", cn_name()), "了，", R.choice(SORRY)],
        lambda: ["收款人", E("name", cn_name()), "，卡号", E("bank_card", card_value())],
        lambda: ["法定代表人", E("name", cn_name()), "，营业执照"],
        lambda: ["法人是", E("name", cn_name()), "，要他本人来吗"],
        lambda: ["收件人应该是", E("name", cn_name()), "，", R.choice(SORRY)],
        lambda: ["名字拼音 ", E("name", pinyin_name()), "，护照上的"],
        lambda: ["护照 ", E("passport", foreign_passport()), "，外籍的"],
        lambda: ["护照号码 ", E("passport", R.choice("HM") + digits(8)), "，下周飞"],
        lambda: ["回乡证", E("travel_permit", R.choice("HM") + digits(8)), "过期了"],
        lambda: ["服务器 ", E("ipv6", ipv6_glued()), "ping不通"],
        # second-round decoys
        lambda: ["订单", digits(8), "还没发货", R.choice(EMOJI)],
        lambda: ["电话费交了", str(R.randint(30, 300)), "元"],
        lambda: ["电话打不通，订单号", digits(8)],
        lambda: ["验证码发到尾号", digits(4), "的手机了"],
        lambda: ["验证码收不到，订单号", digits(8)],
        lambda: ["验证码", R.choice("123456789"), "分钟内有效吗"],
        lambda: ["转账给商家了，还没到账"],
        lambda: ["法人章丢了怎么办"],
        lambda: ["收件人应该写错了"],
        lambda: ["护照办理费用 ", str(R.randint(120, 1200)), "元"],
        lambda: ["型号 ", hkid_compact(), " 有货吗"],
    ]


def zh_tw():
    return [
        lambda: ["您好，我的手機是", E("phone_local", tw_mobile()), "，", R.choice(TW_TAIL)],
        lambda: ["市話", E("phone_local", tw_landline()), "，白天打"],
        lambda: ["身分證字號", E("tw_id", tw_id_value()), "，", R.choice(TW_TAIL)],
        lambda: ["我身分證", E("tw_id", tw_id_value().lower() if R.random() < 0.2 else tw_id_value()), "要改地址"],
        lambda: ["香港身份證號碼", E("hk_id", hkid_value()), "，電話", E("phone_local", hk_phone())],
        lambda: ["我身份證係", E("hk_id", hkid_value("（）" if R.random() < 0.4 else "()")), "，唔該"],
        lambda: ["HKID ", E("hk_id", hkid_value()), " 已上傳"],
        lambda: ["澳門身份證 ", E("mo_id", mo_id_value()), "，", R.choice(TW_TAIL)],
        lambda: ["澳門電話", E("phone_local", mo_phone()), "，晚上打"],
        lambda: ["打", E("phone_local", hk_phone()), "搵我", R.choice(EMOJI)],
        lambda: ["驗證碼 ", E("verification_code", code_spaced()), " 過期了嗎"],
        lambda: ["收件人：", E("name", cn_name(True)), "\n手機：", E("phone_local", tw_mobile())],
        lambda: ["收件人", E("name", cn_name(True)), " ", E("phone_local", tw_mobile())],
        lambda: ["戶名", E("name", cn_name(True)), "，", R.choice(TW_TAIL)],
        lambda: ["我叫", E("name", cn_name(True)), "，訂單有問題"],
        lambda: ["出生日期：", E("dob", roc_date()), "，", R.choice(TW_TAIL)],
        lambda: ["生日 ", E("dob", roc_date()), " 請更正"],
        lambda: ["車牌 ", E("license_plate", tw_plate()), "，停B2"],
        lambda: ["我的車牌是", E("license_plate", tw_plate()), R.choice(TW_TAIL)],
        lambda: ["病歷號碼：", E("medical_record", medical_record()), "，想預約回診"],
        lambda: ["微信 ", E("im_account", wechat_id()), " 加我"],
        lambda: ["電子郵件 ", E("email", obfuscated_email()), "，", R.choice(TW_TAIL)],
        lambda: ["電話", E("phone_intl", paren_intl()), R.choice(TW_TAIL)],
        lambda: ["護照號碼", E("passport", passport_value()), "，" + R.choice(TW_TAIL)],
        lambda: [R.choice(["寄到", "地址：", "我住在", "收件地址：", "送到", "請寄到", "地址係", "住址："]), E("address", address_tw()),
                 R.choice(["", "，" + R.choice(TW_TAIL), " " + R.choice(EMOJI)])],
        lambda: [R.choice(["", "地址：", "送去", "我住", "寄去"]), E("address", address_hk_mo()), R.choice(["", "，唔該", "，" + R.choice(TW_TAIL)])],
        lambda: ["收件人：", E("name", cn_name(True)), "\n地址：", E("address", address_tw()), "\n手機：", E("phone_local", tw_mobile())],
        # decoys
        lambda: ["客服專線 0800-", digits(3), "-", digits(3), " 打不通"],
        lambda: ["營業時間 09:00-18:00，", R.choice(TW_TAIL)],
        lambda: ["2301-2305室是同一間公司嗎"],
        lambda: ["身分證", tw_id_wrong(), "系統說錯誤"],
        lambda: ["香港身份證", hkid_wrong(), "驗證唔到"],
        lambda: ["NT$", str(R.randint(100, 9999)), "，分", str(R.randint(3, 24)), "期"],
        lambda: ["民國", str(R.randint(100, 114)), "年度報稅"],
        lambda: ["車牌辨識失敗"],
        lambda: ["訂單編號 ", digits(14), "，還沒出貨"],
        lambda: [R.choice(["我在路上", "捷運3號出口見", "12樓的會議室", "住址變更要怎麼辦", "區別在哪", "道路施工中",
                           "市區停車好難", "3號發貨嗎", "地址寫錯了"]), R.choice(["", "，" + R.choice(TW_TAIL)])],
        # second round
        lambda: ["電話", E("phone_local", hk_compact()), R.choice(TW_TAIL)],
        lambda: ["手機：", E("phone_local", hk_compact())],
        lambda: ["聯絡電話 ", E("phone_local", hk_fixed_compact()), "，唔該"],
        lambda: ["我身份證號碼係", E("hk_id", hkid_compact()), "，唔該"],
        lambda: ["香港身份證 ", E("hk_id", hkid_spaced()), "，已影印"],
        lambda: ["澳門身份證", E("mo_id", mo_id_compact()), "，", R.choice(TW_TAIL)],
        lambda: ["收唔到新嘅驗證碼，之前嗰個", E("verification_code", digits(R.choice([6, 8]))), "已經過期"],
        lambda: ["我係", E("name", cn_name(True)), "，想問下張單"],
        lambda: ["Hi 我係", E("name", R.choice(CANTO_SURNAMES) + " " + R.choice(CANTO_GIVEN)), R.choice(EMOJI)],
        lambda: ["我叫做", E("name", cn_name(True)), "，上星期落單"],
        lambda: ["轉帳給", E("name", cn_name(True)), "了，", R.choice(TW_TAIL)],
        lambda: ["護照號碼 ", E("passport", foreign_passport()), "，" + R.choice(TW_TAIL)],
        lambda: ["打", E("phone_intl", bare_cc_phone()), "搵我"],
        # second-round decoys
        lambda: ["訂單 ", digits(8), "，幾時到"],
        lambda: ["我係香港人，可唔可以寄過嚟"],
        lambda: ["我係咪要等多一日"],
        lambda: ["身份證", hkid_compact_wrong(), "入唔到"],
        lambda: ["電話費", str(R.randint(100, 999)), "蚊"],
    ]


def en():
    return [
        lambda: ["hi my number is ", E("phone_intl", intl_00()), " pls call back"],
        lambda: ["call me on ", E("phone_intl", paren_intl())],
        lambda: ["my mobile is ", E("cn_mobile", mobile_split()), " thanks"],
        lambda: ["card\n", E("bank_card", card_split()), "\nexp 08/27"],
        lambda: ["Passport ", E("passport", passport_value()), ", name ", E("name", pinyin_name())],
        lambda: ["passport no ", E("passport", passport_value()), " pls check"],
        lambda: ["email me at ", E("email", obfuscated_email()), " thx"],
        lambda: ["the code is ", E("verification_code", code_spaced())],
        lambda: ["my IP", E("ipv4", ip_value()), " is blocked"],
        lambda: ["server IP:", E("ipv4", ip_value())],
        lambda: ["Recipient: ", E("name", en_name()), ", ", E("cn_mobile", mobile())],
        lambda: ["consignee ", E("name", pinyin_name()), " tel ", E("cn_mobile", mobile())],
        lambda: ["Hi, I'm ", E("name", en_name()), " and my order is late"],
        lambda: ["my name is ", E("name", en_name()), R.choice(EMOJI)],
        lambda: ["Account holder: ", E("name", en_name())],
        lambda: ["HKID ", E("hk_id", hkid_value()), ", phone ", E("phone_local", hk_phone())],
        lambda: ["Taiwan ID ", E("tw_id", tw_id_value()), " for the visa"],
        lambda: ["WeChat ID: ", E("im_account", wechat_id())],
        lambda: ["my QQ is ", E("im_account", qq_number())],
        lambda: ["MRN ", E("medical_record", medical_record()), ", need my lab results"],
        lambda: ["medical record number: ", E("medical_record", medical_record())],
        lambda: ["DOB ", E("dob", dob_two_digit_year()), ", born in HK"],
        lambda: ["{\"name\":\"", E("name", pinyin_name()), "\",\"email\":\"", E("email", email_local() + "@gmail.com"), "\"}"],
        lambda: ["{\"fullName\": \"", E("name", en_name()), "\", \"phone\": \"", E("phone_intl", "+1 415 555 " + digits(4)), "\"}"],
        lambda: ["https://shop.example.com/checkout?name=", E("name", R.choice(PINYIN_SURNAMES) + "%20" + R.choice(PINYIN_GIVEN)), "&email=", E("email", email_local() + "%40outlook.com"), "&qty=2"],
        lambda: ["form: name=", E("name", en_name().replace(" ", "+")), "&code=", E("verification_code", digits(6))],
        lambda: ["Alipay user ID ", E("alipay_id", alipay_id()), " can't receive"],
        lambda: [R.choice(["ship to ", "my address is ", "Please send it to ", "deliver to ", "new address: ", "Address: ",
                           "I live at ", ""]), E("address", address_en()), R.choice(["", ".", " thanks", ", thanks!", " " + R.choice(EMOJI)])],
        lambda: [R.choice(["send the refund check to ", "mail it to ", "my ", ""]), E("address", po_box()), R.choice(["", " please", "."])],
        lambda: [R.choice(["ship to ", "I live at ", "Address: "]), E("address", address_en_city()), R.choice([".", "!", ", thanks"])],
        lambda: ["Recipient: ", E("name", en_name()), "\n", E("address", address_en()), "\n", E("phone_intl", "+1 415 555 " + digits(4))],
        # decoys
        lambda: ["my name is spelled wrong on the ticket"],
        lambda: ["My name is missing from the invoice"],
        lambda: ["I'm not sure the package arrived"],
        lambda: ["I'm Happy with the service, thanks!"],
        lambda: ["call ", us_toll_free(), " for support"],
        lambda: ["US hotline ", us_toll_free(), " is closed on weekends"],
        lambda: ["your verification code was sent from ", service_number()],
        lambda: ["the code came from ", us_toll_free()],
        lambda: ["order ", digits(12), " total $", str(R.randint(10, 999)), ".99"],
        lambda: ["room 2301-2305, level ", str(R.randint(2, 40))],
        lambda: ["the 2019-2020 season pass"],
        lambda: ["Recipient name is wrong"],
        lambda: ["model AB-", digits(4), " is out of stock"],
        lambda: ["{\"qty\":\"", str(R.randint(1, 9)), "\",\"sku\":\"SKU", digits(6), "\"}"],
        lambda: ["?page=", str(R.randint(1, 9)), "&sort=price&name="],
        lambda: [R.choice(["room %d is too small" % R.randint(101, 2505), "2 apples and 3 oranges", "I live on 5th floor",
                           "Version 2.3 Street Fighter", "the 18th floor is closed", "we need %d more days" % R.randint(2, 9),
                           "apartment hunting is hard", "the unit price is %d dollars" % R.randint(2, 90),
                           "PO Box not accepted", "address: see my profile", "my address changed last week"])],
        # second round
        lambda: ["my number ", E("phone_local", hk_compact()), ", text me"],
        lambda: ["call me at ", E("phone_local", hk_compact()), " after 6pm"],
        lambda: ["whatsapp ", E("phone_local", hk_compact()), " pls"],
        lambda: ["passport ", E("passport", foreign_passport())],
        lambda: ["passport no. ", E("passport", foreign_passport()), " expires next year"],
        lambda: ["my passport number is ", E("passport", R.choice("123456789") + digits(8))],
        lambda: ["my name is ", E("name", en_name_initial())],
        lambda: ["my name is ", E("name", en_name_lower()), " and my order is late"],
        lambda: ["HKID ", E("hk_id", hkid_spaced()), " uploaded"],
        lambda: ["the code is ", E("verification_code", digits(4))],
        lambda: ["code is ", E("verification_code", code_spaced())],
        lambda: ["ping ", E("ipv6", ipv6_glued()), "ping failed"],
        lambda: ["my HK number ", E("phone_intl", bare_cc_phone())],
        # second-round decoys
        lambda: ["tracking number ", digits(8)],
        lambda: ["call me at ", str(R.randint(3, 9)), "pm"],
        lambda: ["the postal code is ", digits(6)],
        lambda: ["zip code is ", digits(5)],
        lambda: ["promo code is SAVE", digits(2)],
        lambda: ["passport photo 2x2, passport expires 20", digits(2)],
        lambda: ["my name is spelled wrong"],
        lambda: ["order 852 ", digits(4), " ", digits(4)],
        lambda: ["model ", hkid_compact(), " is sold out"],
    ]


def render(parts):
    text = ""
    entities = []
    for part in parts:
        if isinstance(part, tuple):
            kind, value = part
            start = len(text.encode("utf-8"))
            text += value
            entities.append({"type": kind, "start": start, "end": len(text.encode("utf-8"))})
        else:
            text += part
    return text, entities


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="fail if the committed corpus differs")
    args = ap.parse_args()
    groups = [("zh", zh_cn()), ("zh-TW", zh_tw()), ("en", en())]
    lines = []
    for i in range(TARGET_MESSAGES):
        roll = R.random()
        lang, templates = groups[0] if roll < 0.42 else groups[1] if roll < 0.72 else groups[2]
        parts = R.choice(templates)()
        if R.random() < 0.15:
            sep = R.choice(["\n", "。", " ", "！", "\n\n"]) if lang != "en" else R.choice(["\n", ". ", " "])
            parts = parts + [sep] + R.choice(templates)()
        if R.random() < 0.1:
            parts = [R.choice(EMOJI)] + parts
        text, entities = render(parts)
        lines.append(json.dumps({"id": i, "lang": lang, "text": text, "entities": entities}, ensure_ascii=False))
    data = "\n".join(lines) + "\n"
    if args.check:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != data:
                print("corpus_real.jsonl is out of date: run tests/corpus/pii/generate_real.py", file=sys.stderr)
                return 1
        return 0
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(data)
    counts = {}
    for line in lines:
        for e in json.loads(line)["entities"]:
            counts[e["type"]] = counts.get(e["type"], 0) + 1
    print("%d messages, %d entities" % (len(lines), sum(counts.values())))
    for k in sorted(counts):
        print("  %-18s %d" % (k, counts[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
