#!/usr/bin/env python3
"""Generates the labelled PII corpus: tests/corpus/pii/corpus.jsonl.

Deterministic (fixed seed): running it again gives the same bytes, so the committed file can be
checked with `python3 tests/corpus/pii/generate.py --check`.

Every identifier is synthetic: numbers are drawn at random and then given valid check digits
by the published algorithms (GB 11643-1999 MOD 11-2, Luhn, GB 32100-2015, ISO 13616 MOD 97);
region codes are public administrative division codes; names are random combinations of
common surname and given-name characters. Nothing is taken from real people.

One JSON object per line:
  {"id": 17, "lang": "zh", "text": "...", "entities": [{"type": "cn_mobile", "start": 15, "end": 26}]}
start/end are UTF-8 byte offsets into text. Span conventions (what the masker must find):
  - phone numbers include their '+', country prefix, parentheses and inner separators;
  - cards, IDs, IBANs include inner spaces/dashes; plates include their '·';
  - cue-based entities (codes, passwords, dates of birth, names) cover the value only;
  - addresses cover the address after its cue (地址：), not the cue nor the comma after it.
Messages also carry look-alike decoys that must NOT be found: order and tracking numbers,
amounts, dates, times, versions, IDs with a wrong check digit, cards failing Luhn, invalid
SSN areas, invalid IBAN/USCC check characters, 400 hotlines, zip codes, cue words without
values.
"""
import argparse
import json
import os
import random
import sys

SEED = 20261122
TARGET_MESSAGES = 2400
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus.jsonl")

R = random.Random(SEED)

# ---- check-digit algorithms ---------------------------------------------------------------

def luhn_check_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # these get doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number):
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def id_check_char(body17):
    # GB 11643-1999: ISO 7064 MOD 11-2, weights 2^(17-i) mod 11.
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * w for c, w in zip(body17, weights))
    return "10X98765432"[s % 11]


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def org_code_check(body8):
    # GB 11714-1997: weights 3 7 9 10 5 8 4 2, letters A=10..Z=35.
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, weights))
    c = 11 - s % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check(body17):
    # GB 32100-2015: weights 3^i mod 31, check = 31 - sum mod 31 (31 -> 0).
    s = 0
    w = 1
    for c in body17:
        s += USCC_ALPHABET.index(c) * w
        w = w * 3 % 31
    return USCC_ALPHABET[(31 - s % 31) % 31]


def iban_check_digits(country, bban):
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    return "%02d" % (98 - int(numeric) % 97)


# ---- value generators (each returns the text as it appears in the message) ----------------

REGIONS = [
    "110101", "110102", "110105", "110108", "120101", "130102", "140105", "150102", "210102", "220102",
    "230102", "310101", "310104", "310115", "320102", "320106", "330102", "330106", "340102", "350102",
    "360102", "370102", "410102", "420102", "430102", "440103", "440106", "440304", "440305", "450102",
    "460105", "500101", "500103", "510104", "520102", "530102", "540102", "610102", "620102", "630102",
    "640104", "650102",
]

FULLWIDTH = {c: chr(0xFF10 + i) for i, c in enumerate("0123456789")}
FULLWIDTH.update({"X": "\uFF38", "x": "\uFF58", "-": "\uFF0D", " ": "\u3000", "+": "\uFF0B"})


def fullwidth(s):
    return "".join(FULLWIDTH.get(c, c) for c in s)


def digits(n):
    return "".join(R.choice("0123456789") for _ in range(n))


def group(s, sizes, sep):
    out, i = [], 0
    for size in sizes:
        out.append(s[i:i + size])
        i += size
    if i < len(s):
        out.append(s[i:])
    return sep.join(p for p in out if p)


def birth_date(lo=1940, hi=2012):
    y = R.randint(lo, hi)
    m = R.randint(1, 12)
    d = R.randint(1, 28)
    return y, m, d


def cn_id_body():
    y, m, d = birth_date()
    return R.choice(REGIONS) + "%04d%02d%02d" % (y, m, d) + digits(3)


def cn_id():
    body = cn_id_body()
    value = body + id_check_char(body)
    if value.endswith("X") and R.random() < 0.3:
        value = value[:-1] + "x"
    style = R.random()
    if style < 0.12:
        value = group(value, [6, 8, 4], " ")
    elif style < 0.17:
        value = fullwidth(value)
    return value


def cn_id_legacy():
    y, m, d = birth_date(1940, 1999)
    return R.choice(REGIONS) + "%02d%02d%02d" % (y % 100, m, d) + digits(3)


def cn_id_wrong_check():
    body = cn_id_body()
    good = id_check_char(body)
    bad = R.choice([c for c in "0123456789X" if c != good])
    return body + bad


MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "147", "150", "151", "152",
                   "153", "155", "156", "157", "158", "159", "166", "170", "173", "175", "176", "177", "178",
                   "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "195", "198", "199"]


def mobile_number():
    return R.choice(MOBILE_PREFIXES) + digits(8)


def cn_mobile():
    n = mobile_number()
    style = R.random()
    if style < 0.45:
        return n
    if style < 0.58:
        return group(n, [3, 4, 4], " ")
    if style < 0.68:
        return group(n, [3, 4, 4], "-")
    if style < 0.76:
        return "+86 " + n
    if style < 0.82:
        return "+86 " + group(n, [3, 4, 4], " ")
    if style < 0.86:
        return "+86-" + group(n, [3, 4, 4], "-")
    if style < 0.89:
        return "0086 " + n
    if style < 0.92:
        return "86" + n
    if style < 0.94:
        return group(n, [3, 4, 4], "\u200b")  # zero-width spaces inside (evasion)
    return fullwidth(n)


def cn_landline():
    area, first = R.choice([("010", "6"), ("021", "5"), ("020", "8"), ("0755", "8"), ("0571", "8"),
                            ("025", "8"), ("028", "8"), ("0512", "6"), ("0731", "8"), ("023", "6")])
    sub_len = 8 if len(area) == 3 else R.choice([7, 8])
    sub = first + digits(sub_len - 1)
    style = R.random()
    if style < 0.45:
        return area + "-" + sub
    if style < 0.65:
        return "(" + area + ")" + sub
    if style < 0.8:
        return "(" + area + ") " + group(sub, [4, 4], " ")
    if style < 0.9:
        return area + " " + sub
    return "+86 " + area[1:] + " " + sub


CARD_PREFIXES = [("62", 16), ("62", 19), ("6217", 19), ("6228", 19), ("4", 16), ("51", 16), ("53", 16),
                 ("55", 16), ("2221", 16), ("2720", 16), ("34", 15), ("37", 15), ("3528", 16), ("3566", 16),
                 ("6011", 16), ("65", 16)]


def card_number():
    prefix, length = R.choice(CARD_PREFIXES)
    body = prefix + digits(length - len(prefix) - 1)
    return body + luhn_check_digit(body)


def format_card(n):
    style = R.random()
    if len(n) == 15:
        if style < 0.5:
            return group(n, [4, 6, 5], " ")
        return n
    if style < 0.4:
        return n
    if style < 0.8:
        return group(n, [4, 4, 4, 4, 4], " ")
    if style < 0.92:
        return group(n, [4, 4, 4, 4, 4], "-")
    return fullwidth(n)


def bank_card():
    return format_card(card_number())


def card_failing_luhn():
    prefix, length = R.choice([p for p in CARD_PREFIXES if p[1] == 16])
    while True:
        n = prefix + digits(length - len(prefix))
        if not luhn_valid(n):
            return group(n, [4, 4, 4, 4], " ") if R.random() < 0.4 else n


def uscc_value():
    authority, kind = R.choice([("9", "1"), ("9", "1"), ("9", "1"), ("9", "2"), ("9", "3"), ("5", "1"),
                                ("5", "2"), ("1", "1"), ("Y", "1")])
    region = R.choice(REGIONS)
    if R.random() < 0.6:
        body8 = "MA" + "".join(R.choice(USCC_ALPHABET) for _ in range(6))
    else:
        body8 = digits(8)
    org = body8 + org_code_check(body8)
    body17 = authority + kind + region + org
    return body17 + uscc_check(body17)


def uscc():
    return uscc_value()


def uscc_wrong_check():
    v = uscc_value()
    return v[:-1] + R.choice([c for c in USCC_ALPHABET if c != v[-1]])


def passport():
    style = R.random()
    if style < 0.5:
        return "E" + digits(8)
    if style < 0.8:
        return "E" + R.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(7)
    return "G" + digits(8)


def travel_permit():
    style = R.random()
    if style < 0.4:
        return "C" + digits(8)
    if style < 0.55:
        return "C" + R.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(7)
    if style < 0.75:
        return R.choice("HM") + digits(8)
    if style < 0.85:
        return R.choice("HM") + digits(10)
    return "L" + digits(8)


PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def license_plate():
    p = R.choice(PROVINCES) + R.choice(PLATE_LETTERS)
    sep = R.choice(["", "", "·", " "])
    style = R.random()
    if style < 0.6:
        tail = digits(5)
    elif style < 0.8:
        tail = R.choice(PLATE_LETTERS) + digits(4)
    elif style < 0.9:
        tail = R.choice("DF") + digits(5)
    else:
        tail = digits(5) + R.choice("DF")
    return p + sep + tail


FIRST_EN = ["Jane", "John", "Emily", "Michael", "Sarah", "David", "Laura", "James", "Olivia", "Daniel",
            "Sophie", "Chris", "Anna", "Peter", "Grace", "Kevin", "Mei", "Wei", "Lucas", "Nina"]
LAST_EN = ["Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark", "Lewis", "Walker",
           "Young", "King", "Wright", "Chen", "Wang", "Li", "Zhang", "Garcia", "Martin", "Lee"]
DOMAINS = ["qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "example.com", "example.cn",
           "mail.example.org", "sina.com.cn", "foxmail.com"]


def email():
    style = R.random()
    if style < 0.3:
        local = digits(R.randint(6, 10)).lstrip("0") or "12345"
        return local + "@" + R.choice(["qq.com", "qq.com", "163.com"])
    if style < 0.45:
        return mobile_number() + "@" + R.choice(["163.com", "139.com"])
    first, last = R.choice(FIRST_EN).lower(), R.choice(LAST_EN).lower()
    local = R.choice([first + "." + last, first + last, first[0] + last + digits(2), first + "_" + last,
                      first + "+shop"])
    return local + "@" + R.choice(DOMAINS)


def ipv4():
    style = R.random()
    if style < 0.3:
        return "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254))
    if style < 0.5:
        return "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
    return "%d.%d.%d.%d" % (R.randint(11, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))


def ipv6():
    groups = ["%x" % R.randint(0, 0xFFFF) for _ in range(8)]
    style = R.random()
    if style < 0.35:
        return ":".join(groups)
    if style < 0.75:
        return "2001:db8:" + ":".join(groups[2:4]) + "::" + groups[7]
    if style < 0.9:
        return "fe80::" + ":".join(groups[4:8])
    return "::ffff:192.0.2.%d" % R.randint(1, 254)


IBAN_FORMATS = [("DE", lambda: digits(18)), ("FR", lambda: digits(23)), ("NL", lambda: "ABNA" + digits(10)),
                ("GB", lambda: R.choice(["NWBK", "BARC", "HBUK"]) + digits(14)), ("ES", lambda: digits(20)),
                ("IT", lambda: R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + digits(22)), ("CH", lambda: digits(17))]


def iban_compact():
    country, bban = R.choice(IBAN_FORMATS)
    b = bban()
    return country + iban_check_digits(country, b) + b


def iban():
    v = iban_compact()
    return group(v, [4] * 9, " ") if R.random() < 0.6 else v


def iban_wrong_check():
    v = iban_compact()
    bad = R.choice(["%02d" % c for c in range(2, 99) if c != int(v[2:4])])
    return v[:2] + bad + v[4:]


def us_ssn():
    while True:
        area = R.randint(1, 899)
        if area != 666:
            break
    return "%03d-%02d-%04d" % (area, R.randint(1, 99), R.randint(1, 9999))


def us_ssn_invalid():
    area = R.choice([0, 666, R.randint(900, 999)])
    return "%03d-%02d-%04d" % (area, R.randint(1, 99), R.randint(1, 9999))


def phone_intl():
    style = R.randint(0, 9)
    if style == 9 and R.random() < 0.5:
        return "+44 (0)20 %s %s" % (digits(4), digits(4))
    if style <= 2:
        a = "%d%s" % (R.randint(2, 9), digits(2))
        e = "%d%s" % (R.randint(2, 9), digits(2))
        s = digits(4)
        return R.choice(["+1 (%s) %s-%s", "+1 %s-%s-%s", "+1%s%s%s", "+1 %s %s %s"]) % (a, e, s)
    if style == 3:
        return R.choice(["+44 20 %s %s" % (digits(4), digits(4)), "+44 7700 %s" % digits(6)])
    if style == 4:
        return "+81 90-%s-%s" % (digits(4), digits(4))
    if style == 5:
        return "+852 %s %s" % (R.choice("569") + digits(3), digits(4))
    if style == 6:
        return "+886 9%s %s %s" % (digits(2), digits(3), digits(3))
    if style == 7:
        return "+65 %s %s" % (R.choice("89") + digits(3), digits(4))
    if style == 8:
        return "+61 4%s %s %s" % (digits(2), digits(3), digits(3))
    return "+49 30 %s" % digits(7)


def code_value():
    return digits(R.choice([4, 6, 6, 6]))


PW_CHARS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def password_value():
    core = "".join(R.choice(PW_CHARS) for _ in range(R.randint(5, 10)))
    return core + R.choice(["", digits(2), "!", "@" + digits(2), "#1", "_" + digits(3), "2024"])


def dob_value(lang):
    y, m, d = birth_date(1950, 2010)
    if lang == "zh":
        return R.choice(["%d年%d月%d日" % (y, m, d), "%d-%02d-%02d" % (y, m, d), "%d/%d/%d" % (y, m, d),
                         "%d.%02d.%02d" % (y, m, d), "%d%02d%02d" % (y, m, d)])
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    return R.choice(["%02d/%02d/%d" % (m, d, y), "%d-%02d-%02d" % (y, m, d), "%s %d, %d" % (months[m - 1], d, y),
                     "%d %s %d" % (d, months[m - 1], y)])


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈"
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "慕容"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文玲萍红鹏飞宇浩然欣怡子涵梓轩博睿思雨佳琪晨辰嘉逸俊"


def cn_name():
    surname = R.choice(COMPOUND) if R.random() < 0.06 else R.choice(SURNAMES)
    return surname + "".join(R.choice(GIVEN) for _ in range(R.choice([1, 2, 2])))


def en_name():
    return R.choice(FIRST_EN) + (" " + R.choice(LAST_EN) if R.random() < 0.8 else "")


# ---- decoys ------------------------------------------------------------------------------

def order_number():
    return R.choice(["2023", "2024", "2025"]) + digits(R.choice([12, 14, 15]))


def taobao_order():
    return R.choice("1234") + digits(18)


def amount_zh():
    return R.choice(["¥%d.%02d" % (R.randint(1, 9999), R.randint(0, 99)), "%d元" % R.randint(1, 99999),
                     "¥%s,%03d.00" % (R.randint(1, 99), R.randint(0, 999)), "%d.%02d元" % (R.randint(1, 999), R.randint(0, 99))])


def amount_en():
    return R.choice(["$%d.%02d" % (R.randint(1, 999), R.randint(0, 99)), "USD %d,%03d.%02d" % (R.randint(1, 99), R.randint(0, 999), R.randint(0, 99)),
                     "%d.%02d EUR" % (R.randint(1, 999), R.randint(0, 99))])


def plain_date_zh():
    y, m, d = birth_date(2019, 2026)
    return R.choice(["%d-%02d-%02d" % (y, m, d), "%d年%d月%d日" % (y, m, d), "%d/%02d/%02d" % (y, m, d), "%d.%d" % (m, d)])


def plain_date_en():
    y, m, d = birth_date(2019, 2026)
    return R.choice(["%02d/%02d/%d" % (m, d, y), "%d-%02d-%02d" % (y, m, d)])


def time_value():
    return R.choice(["%d:%02d" % (R.randint(0, 23), R.randint(0, 59)), "%02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))])


def tracking_number():
    return R.choice(["SF" + digits(13), "YT" + digits(13), "JT" + digits(13), "JD" + digits(15),
                     "75" + digits(12), "43" + digits(11), "77" + digits(13)])


def version_value():
    return R.choice(["v%d.%d.%d" % (R.randint(1, 9), R.randint(0, 20), R.randint(0, 30)), "%d.%d.%d" % (R.randint(1, 9), R.randint(0, 20), R.randint(0, 30)),
                     "%d.%d" % (R.randint(1, 20), R.randint(0, 9))])


def hotline():
    return R.choice(["400-%s-%s" % (digits(3), digits(4)), "800-%s-%s" % (digits(3), digits(4)), "95588", "10086", "12315"])


def bad_mobile():
    return R.choice(["12", "10", "11"]) + digits(9)


def model_number():
    return R.choice(["A%s" % digits(4), "XR-%s" % digits(3), "SKU%s" % digits(8), "PN %s-%s" % (digits(4), digits(2))])


def sixteen_digits_bad():
    return card_failing_luhn()


def luhn_valid_unknown_prefix():
    body = R.choice("179") + digits(14)
    return body + luhn_check_digit(body)


def imei():
    body = R.choice(["35", "86", "01"]) + digits(12)
    return body + luhn_check_digit(body)


def id_bad_date():
    y, m, d = birth_date()
    body = R.choice(REGIONS) + "%04d%02d%02d" % (y, R.choice([0, 13, 14, 19]), d) + digits(3)
    return body + id_check_char(body)


def address_zh():
    return "%s区%s路%d号%d栋%d单元%d室" % (R.choice(["朝阳", "海淀", "浦东", "天河", "南山"]), R.choice(["建国", "中山", "人民", "解放"]),
                                    R.randint(1, 999), R.randint(1, 30), R.randint(1, 6), R.randint(101, 2904))


# ---- message templates -------------------------------------------------------------------
# A template returns a list of parts: plain strings, or (type, value) for labelled entities.

def E(kind, value):
    return (kind, value)


class Address(str):
    """An address label, added when the masker learnt addresses in free text (issue #18).
    Not a tuple, so decorate() places its emoji exactly as before: the random stream, and so
    every message of the committed corpus, stays the same; only the labels are new."""


EMOJI = ["😀", "🙏", "👍", "📞", "💳", "😭", "🚚", "✅", "❤️", "👨‍👩‍👧"]


def zh_templates():
    return [
        lambda: ["我的手机号是", E("cn_mobile", cn_mobile()), "，麻烦尽快联系我"],
        lambda: ["手机", E("cn_mobile", cn_mobile()), "谢谢"],
        lambda: ["请打", E("cn_mobile", cn_mobile()), "找我，或者座机", E("cn_landline", cn_landline())],
        lambda: ["联系电话：", E("cn_mobile", cn_mobile()), "。订单号 ", order_number(), "，金额", amount_zh()],
        lambda: ["身份证号", E("cn_id", cn_id()), "，麻烦帮我核实一下"],
        lambda: ["我的身份证是", E("cn_id", cn_id()), "，手机", E("cn_mobile", cn_mobile())],
        lambda: ["身份证：", E("cn_id", cn_id()), " 姓名：", E("name", cn_name())],
        lambda: ["老身份证号", E("cn_id", cn_id_legacy()), "还能用吗"],
        lambda: ["卡号", E("bank_card", bank_card()), "，为什么扣了两次钱？"],
        lambda: ["退款请退到", E("bank_card", bank_card()), "这张卡，", amount_zh()],
        lambda: ["银行卡 ", E("bank_card", bank_card()), " 持卡人", E("name", cn_name())],
        lambda: ["公司统一社会信用代码", E("uscc", uscc()), "，需要开专票"],
        lambda: ["开票信息：税号", E("uscc", uscc()), "，地址电话 ", E("cn_landline", cn_landline())],
        lambda: ["护照号码", E("passport", passport()), "，下周出发"],
        lambda: ["港澳通行证", E("travel_permit", travel_permit()), "过期了怎么办"],
        lambda: ["车牌号", E("license_plate", license_plate()), "，停在B2层"],
        lambda: ["我的车是", E("license_plate", license_plate()), "，帮我查下违章"],
        lambda: ["邮箱", E("email", email()), "，发票发这里"],
        lambda: ["发到我邮箱 ", E("email", email()), " 就行"],
        lambda: ["验证码是", E("verification_code", code_value()), "，五分钟内有效"],
        lambda: ["短信验证码：", E("verification_code", code_value())],
        lambda: ["登录密码：", E("password", password_value()), " 帮我看看为什么登不上"],
        lambda: ["密码是", E("password", password_value()), "，账号是", E("cn_mobile", cn_mobile())],
        lambda: ["出生日期", E("dob", dob_value("zh")), "，需要改吗"],
        lambda: ["我生日是", E("dob", dob_value("zh")), "，有优惠吗"],
        lambda: ["我叫", E("name", cn_name()), "，想咨询一下退货"],
        lambda: ["你好，我叫", E("name", cn_name()), "，订单", order_number(), "还没发货"],
        lambda: ["收货人：", E("name", cn_name()), "，电话", E("cn_mobile", cn_mobile())],
        lambda: ["姓名：", E("name", cn_name()), "  身份证：", E("cn_id", cn_id())],
        lambda: ["服务器IP ", E("ipv4", ipv4()), " 连不上"],
        lambda: ["IPv6地址是", E("ipv6", ipv6()), "，帮忙看看"],
        lambda: ["美国朋友的SSN ", E("us_ssn", us_ssn()), " 需要填吗"],
        lambda: ["香港电话", E("phone_intl", phone_intl()), "，白天打"],
        lambda: ["国际汇款IBAN：", E("iban", iban())],
        lambda: ["我是", E("name", cn_name()), "，上周买的东西还没到"],
        lambda: ["【手机】", E("cn_mobile", cn_mobile()), "（微信同号）"],
        lambda: ["卡号是", E("bank_card", format_card(card_number())), " 有效期", "%02d/%02d" % (R.randint(1, 12), R.randint(25, 31))],
        lambda: ["收件地址：", Address(address_zh()), "，收件人", E("name", cn_name()), "，", E("cn_mobile", cn_mobile())],
        # decoys only
        lambda: ["订单号", order_number(), "什么时候发货？付了", amount_zh()],
        lambda: ["手机IMEI ", imei(), "，保修还在吗"],
        # bare long numbers with no cue at all: only check digits tell them from cards
        lambda: ["帮我查一下", taobao_order(), "，急"],
        lambda: ["这个", R.choice([order_number(), taobao_order(), digits(16)]), "怎么还没到"],
        lambda: ["尾号", digits(4), "的卡，身份证后四位", digits(3) + R.choice("0123456789X")],
        lambda: ["身份证", id_bad_date(), "好像不对"],
        lambda: ["地址：", Address(address_zh()), "，", plain_date_zh(), "前送到"],
        lambda: ["会员卡号", luhn_valid_unknown_prefix(), "积分怎么查"],
        lambda: ["我是学生，", amount_zh(), "能退吗"],
        lambda: ["版本号", "%d.%d.%d.%d" % (R.randint(1, 9), R.randint(0, 9), R.randint(0, 9), R.randint(0, 99)), "有bug"],
        lambda: ["订单编号：", taobao_order(), "，", plain_date_zh(), " ", time_value(), "下的单"],
        lambda: ["快递单号", tracking_number(), "一直没更新"],
        lambda: ["运单号：", tracking_number(), "，客服电话", hotline()],
        lambda: ["我输了身份证", cn_id_wrong_check(), "提示格式不对"],
        lambda: ["卡号", sixteen_digits_bad(), "绑定失败"],
        lambda: ["商品编号 ", sixteen_digits_bad(), " 还有货吗"],
        lambda: ["信用代码", uscc_wrong_check(), "校验不通过"],
        lambda: ["号码", bad_mobile(), "是空号"],
        lambda: ["型号", model_number(), "，版本", version_value(), "，数量", str(R.randint(1, 20)), "件"],
        lambda: ["邮编", digits(6), "，地址写错了"],
        lambda: ["验证码一直没收到，", time_value(), "发的"],
        lambda: ["忘记密码了怎么办"],
        lambda: ["祝你生日快乐！", R.choice(EMOJI)],
        lambda: ["我叫了外卖，", amount_zh(), "，", plain_date_zh(), "到的"],
        lambda: ["共", str(R.randint(2, 9)), "件，合计", amount_zh(), "，", plain_date_zh()],
        lambda: ["请拨打", hotline(), "转人工"],
        lambda: ["SSN ", us_ssn_invalid(), " 被拒了"],
        lambda: ["IBAN ", iban_wrong_check(), " 提示无效"],
    ]


def en_templates():
    return [
        lambda: ["My phone is ", E("cn_mobile", cn_mobile()), ", please call me back."],
        lambda: ["Call me at ", E("phone_intl", phone_intl()), " after 5pm."],
        lambda: ["You can reach me on ", E("phone_intl", phone_intl()), " or ", E("email", email())],
        lambda: ["My card ", E("bank_card", bank_card()), " was charged twice."],
        lambda: ["Refund to card ", E("bank_card", bank_card()), " please, amount ", amount_en()],
        lambda: ["Email: ", E("email", email())],
        lambda: ["Please send the invoice to ", E("email", email()), ". Thanks!"],
        lambda: ["My SSN is ", E("us_ssn", us_ssn()), ", is that needed?"],
        lambda: ["IBAN ", E("iban", iban()), " for the transfer."],
        lambda: ["Wire it to ", E("iban", iban()), " please"],
        lambda: ["My IP is ", E("ipv4", ipv4()), " and it is blocked."],
        lambda: ["Server ", E("ipv6", ipv6()), " is down"],
        lambda: ["Passport no. ", E("passport", passport()), ", flying next week"],
        lambda: ["Chinese ID ", E("cn_id", cn_id()), " for the customs form."],
        lambda: ["The verification code is ", E("verification_code", code_value())],
        lambda: ["OTP: ", E("verification_code", code_value()), " expires soon"],
        lambda: ["My password is ", E("password", password_value()), " and it doesn't work"],
        lambda: ["password: ", E("password", password_value())],
        lambda: ["PIN: ", E("password", digits(R.choice([4, 6]))), " please reset it"],
        lambda: ["DOB ", E("dob", dob_value("en")), ", born in Shanghai"],
        lambda: ["My date of birth is ", E("dob", dob_value("en"))],
        lambda: ["My name is ", E("name", en_name()), ", order ", order_number()],
        lambda: ["Hi, my name is ", E("name", en_name()), ". I need help."],
        lambda: ["Name: ", E("name", en_name()), ", phone ", E("phone_intl", phone_intl())],
        lambda: ["Landline in Shenzhen ", E("cn_landline", cn_landline()), " works too"],
        lambda: ["Company credit code ", E("uscc", uscc()), " for the VAT invoice"],
        lambda: ["HK permit ", E("travel_permit", travel_permit()), " expired"],
        lambda: ["plate ", E("license_plate", license_plate()), " is mine"],
        lambda: ["UK office ", E("phone_intl", "+44 (0)20 %s %s" % (digits(4), digits(4))), ", ask for ", E("name", en_name()) if False else "Tom"],
        lambda: ["Contact <", E("email", email()), ">"],
        lambda: ["Card ", E("bank_card", format_card(card_number())), " exp ", "%02d/%02d" % (R.randint(1, 12), R.randint(25, 31))],
        # decoys only
        lambda: ["Order #", order_number(), " placed on ", plain_date_en(), " for ", amount_en()],
        lambda: ["IMEI ", imei(), " is blacklisted"],
        lambda: ["Where is ", R.choice([taobao_order(), digits(16), order_number()]), "? It's late"],
        lambda: ["Loyalty number ", luhn_valid_unknown_prefix(), " has no points"],
        lambda: ["Version ", "%d.%d.%d.%d" % (R.randint(1, 9), R.randint(0, 9), R.randint(0, 9), R.randint(0, 99)), " has a bug"],
        lambda: ["I'm ", str(R.randint(18, 80)), " years old and live in room ", str(R.randint(100, 2999))],
        lambda: ["Order number ", taobao_order(), " hasn't shipped"],
        lambda: ["Tracking number ", tracking_number(), " is stuck since ", plain_date_en()],
        lambda: ["Card ", sixteen_digits_bad(), " was declined"],
        lambda: ["Invoice ", digits(10), " total ", amount_en(), " due ", plain_date_en()],
        lambda: ["Version ", version_value(), " crashes at ", time_value()],
        lambda: ["Model ", model_number(), ", qty ", str(R.randint(1, 50))],
        lambda: ["I forgot my password and need help"],
        lambda: ["The verification code never arrived"],
        lambda: ["My name is on the order already"],
        lambda: ["Zip code ", digits(5), ", apartment ", str(R.randint(1, 40)), "B"],
        lambda: ["SSN ", us_ssn_invalid(), " was rejected"],
        lambda: ["Call ", hotline(), " for support"],
        lambda: ["IBAN ", iban_wrong_check(), " is invalid?"],
        lambda: ["Meeting at ", time_value(), " on ", plain_date_en(), ", room ", str(R.randint(100, 999))],
    ]


def render(parts):
    text = ""
    entities = []
    for part in parts:
        if isinstance(part, (tuple, Address)):
            kind, value = part if isinstance(part, tuple) else ("address", str(part))
            start = len(text.encode("utf-8"))
            text += value
            entities.append({"type": kind, "start": start, "end": len(text.encode("utf-8"))})
        else:
            text += part
    return text, entities


def decorate(parts):
    """Adds what real chats have: emoji, doubled messages, mixed scripts."""
    roll = R.random()
    if roll < 0.08:
        parts = [R.choice(EMOJI)] + parts
    elif roll < 0.14:
        parts = parts + [R.choice(EMOJI)]
    elif roll < 0.18:
        # an emoji glued right before the first entity
        for i, p in enumerate(parts):
            if isinstance(p, tuple):
                parts = parts[:i] + [R.choice(EMOJI)] + parts[i:]
                break
    return parts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="fail if the committed corpus differs")
    args = ap.parse_args()
    zh, en = zh_templates(), en_templates()
    lines = []
    for i in range(TARGET_MESSAGES):
        lang = "zh" if R.random() < 0.6 else "en"
        template = R.choice(zh if lang == "zh" else en)
        parts = template()
        if R.random() < 0.2:
            # two messages in one: a second template after a separator people type
            more = R.choice(zh if lang == "zh" else en)()
            sep = R.choice(["。", "，", " ", "\n", "！", ""]) if lang == "zh" else R.choice([" ", "\n", ". ", "; "])
            parts = parts + [sep] + more
        parts = decorate(parts)
        text, entities = render(parts)
        lines.append(json.dumps({"id": i, "lang": lang, "text": text, "entities": entities}, ensure_ascii=False))
    data = "\n".join(lines) + "\n"
    if args.check:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != data:
                print("corpus.jsonl is out of date: run tests/corpus/pii/generate.py", file=sys.stderr)
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
