"""The order Chinese readers look names up in: by pinyin, syllable by syllable, then tone.

pypinyin reads a character the way it is most often read, but a surname has its own
reading: 单 is Shàn, not dān; 曾 is Zēng, not céng; 仇 is Qiú, not chóu. pypinyin has
no surname mode, so the surname at the head of a name is read from the table below
(the common polyphonic surnames) and only the given name goes through pypinyin.

pypinyin is imported where a name is read, never at start-up: its phrase dictionary takes about 57 MB in
every process that imports it, and only the rare save of a deputy or a category needs it (the pages read
the stored sort key). Every web and worker process would otherwise carry it (issue 12: worker memory).
"""

# Compound surnames first: 单于 is Chányú, not Shàn + yú.
COMPOUND_SURNAMES = {
    "万俟": "mo4 qi2", "尉迟": "yu4 chi2", "单于": "chan2 yu2", "长孙": "zhang3 sun1", "澹台": "tan2 tai2",
    "乐正": "yue4 zheng4", "仉督": "zhang3 du1", "子车": "zi3 ju1", "令狐": "ling2 hu2",
}
SURNAMES = {
    "单": "shan4", "曾": "zeng1", "仇": "qiu2", "解": "xie4", "区": "ou1", "查": "zha1", "朴": "piao2",
    "乐": "yue4", "盖": "ge3", "缪": "miao4", "翟": "zhai2", "覃": "qin2", "召": "shao4", "纪": "ji3",
    "种": "chong2", "重": "chong2", "秘": "bi4", "冼": "xian3", "华": "hua4", "过": "guo1", "燕": "yan1",
    "繁": "po2", "瞿": "qu2", "折": "she2", "那": "na1", "粘": "nian2", "藏": "zang4",
    "都": "du1", "六": "lu4", "薄": "bo2", "贾": "jia3", "居": "ju1", "盛": "sheng4", "柏": "bai3",
    "牟": "mou2", "陆": "lu4", "乜": "nie4", "阚": "kan4", "叶": "ye4", "员": "yun4", "尉": "wei4",
    "宿": "su4", "卜": "bu3", "殷": "yin1", "沈": "shen3", "石": "shi2", "任": "ren2", "朝": "chao2",
    "句": "gou1", "逄": "pang2", "郇": "huan2", "长": "chang2", "便": "pian2",
}
# Longer than any real name needs; the column is sized for it.
MAX_LENGTH = 255


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    # TONE3 puts the tone after the syllable (zhi4), so "li3" sorts before "lian2";
    # neutral tone as 5 keeps every syllable ending in a digit.
    return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)


def name_sort_key(name: str) -> str:
    """"wang2 zhi4 hui4 王智慧" for 王智慧: pinyin syllables with tones, then the name itself.

    Syllables are separated by a space, which sorts before every letter and digit, so a
    shorter syllable comes first (li before lian). The name at the end keeps two people
    with the same reading in a fixed order.
    """
    name = name.strip()
    head = next((compound for compound in COMPOUND_SURNAMES if name.startswith(compound)), "")
    if head:
        syllables = [COMPOUND_SURNAMES[head], *_syllables(name[len(head):])]
    elif name[:1] in SURNAMES:
        syllables = [SURNAMES[name[0]], *_syllables(name[1:])]
    else:
        syllables = _syllables(name)
    key = " ".join(syllable.lower() for syllable in syllables if syllable.strip())
    return f"{key} {name}"[:MAX_LENGTH]


def initial(sort_key: str) -> str:
    """The index letter, A–Z; "#" for a name that does not start with a Latin letter after conversion."""
    first = sort_key[:1].upper()
    return first if "A" <= first <= "Z" else "#"
