"""What one line of a page export is: a byline, a dateline, a caption, a credit, a jump line, a title.

Pure functions of the line's text, each returning what it found or None.
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NAME = rf"[{HAN}·•]{{2,5}}"
_AGENCY = "本报|新华社|中新社|中新网|人民日报|光明日报|经济日报"
_ROLE = rf"(?:{_AGENCY})?(?:特约|见习|实习|首席)?(?:摄影记者|记者|通讯员|评论员|实习生)"
_ROLE_AT = re.compile(rf"^({_ROLE})")
_ENGLISH_BYLINE = re.compile(r"^By\s+([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}(?:(?:,\s*|\s+and\s+)[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})*)$")
_DATELINE = re.compile(
    rf"^(?P<dateline>(?P<agency>{_AGENCY})(?:讯|[{HAN}]{{0,12}}?(?:\d{{1,2}}月\d{{1,2}}日)?电(?=[\s（(])))"
    r"\s*(?:[（(](?P<inner>[^（）()]{1,60})[）)])?\s*(?P<rest>.*)$")
_ENGLISH_DATELINE = re.compile(r"^(?P<dateline>[A-Z][A-Z .,'-]{2,30}\s[—–]|[A-Z][A-Z .,'-]{2,30}\s--)\s+(?P<rest>\S.*)$")
_MARKER = re.compile(r"^\s*(?:[▲△↑↓←→▼▽]+|图为|[上下左右]图[：:]?|图[①-⑩\d]*[：:])\s*")
_CREDIT = re.compile(
    rf"[（(]?\s*(?P<credit>(?:{_ROLE}|摄影)\s*{_NAME}(?:[\s、]+{_NAME})*\s*摄|{_NAME}(?:[\s、]+{_NAME})*\s+摄)\s*[）)]?\s*$")
_ENGLISH_CREDIT = re.compile(r"(?:Photos?|Photograph) by (?P<credit>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})\s*$")
_PAGE_CREDIT = re.compile(r"[（(]?\s*(?P<credit>本(?:版|栏|刊|组|期)(?:图片|照片|摄影)[^（()）。]*?摄)\s*[）)]?\s*$")
_CN_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九十")}
_JUMP_MARK = r"[（(]\s*(?P<way>下转|上接|转|接|接上|续)\s*(?:第|至第)?\s*(?P<page>[A-Z]?\d{1,3}|[一二三四五六七八九十]{1,3})\s*版\s*[）)]"  # （下转第2版）, （上接第一版）
_JUMP = re.compile(_JUMP_MARK + r"\s*$")
_JUMP_AT_START = re.compile("^" + _JUMP_MARK)
_TERMINAL = "。！？；…!?;."
_CLOSERS = "”’」』）)》】\"'"
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、．.]|（[一二三四五六七八九十]{1,3}）|\d{1,2}[、．])\s*\S")
_PLACE = re.compile(r"(?:省|市|县|区|镇|乡|村|州|旗|盟|街道|社区)$")
_EDITOR_NOTE = re.compile(r"^(?:\*\*)?(?:编者按|编者的话|编后|编后语|编者)(?:\*\*)?[：:]")
_MARKUP = re.compile(r"\*{1,3}|_{1,3}")
TITLE_MAX = 40  # characters of a Chinese title line
TITLE_WORDS = 16  # words of an English one
_HAN_CHAR = re.compile(f"[{HAN}]")


def plain(text: str) -> str:
    """The text without Markdown emphasis marks and surrounding space."""
    return _MARKUP.sub("", text).strip() if "*" in text or "_" in text else text.strip()


def byline(text: str) -> list | None:
    """`本报记者 张三 本报通讯员 李四 王五` → [{role, names}, …]; `本报评论员` → ['本报评论员']; else None."""
    text = plain(text)
    english = _ENGLISH_BYLINE.match(text)
    if english:
        return [{"names": [n.strip() for n in re.split(r",\s*|\s+and\s+", english.group(1)) if n.strip()]}]
    if len(text) > 60 or not _ROLE_AT.match(text):
        return None
    return role_names(text)


def role_names(text: str, agency: str = "") -> list | None:
    """Roles each followed by names, e.g. `记者 张三 通讯员 李四` (roles given `agency`, e.g. 本报); None if other words."""
    entries: list = []
    for token in re.split(r"[\s、，,]+", text.strip()):
        if not token:
            continue
        role = _ROLE_AT.match(token)
        if role:
            name = token[role.end():]
            full = role.group(1) if role.group(1).startswith(tuple(_AGENCY.split("|"))) else agency + role.group(1)
            entries.append({"role": full, "names": []})
            token = name
            if not token:
                continue
        if not entries or not re.fullmatch(_NAME, token):
            return None
        entries[-1]["names"].append(token)
    if not entries:
        return None
    return [e if e["names"] else e["role"] for e in entries]


def dateline(text: str) -> tuple[str, list, str] | None:
    """`本报讯（记者 张三）近日，…` → ('本报讯', [{role: 本报记者, names: [张三]}], '近日，…'); else None."""
    match = _DATELINE.match(text.strip())
    if match:
        inner = match.group("inner")
        bylines = role_names(inner, match.group("agency")) if inner else []
        if bylines is None:  # not roles and names: the parenthesis stays in the dateline
            return match.group("dateline") + f"（{inner}）", [], match.group("rest")
        return match.group("dateline"), bylines, match.group("rest")
    match = _ENGLISH_DATELINE.match(text.strip())
    if match and match.group("dateline").upper() == match.group("dateline"):
        return match.group("dateline"), [], match.group("rest")
    return None


def page_credit(text: str) -> tuple[str, str] | None:
    """A credit for the whole page or column at the end of a line (本版照片除署名外均由…摄): (credit, the rest)."""
    match = _PAGE_CREDIT.search(text.strip())
    return (match.group("credit"), text.strip()[:match.start()].strip()) if match else None


def caption(text: str) -> tuple[str, str | None, str | None] | None:
    """A photo caption: (caption, its credit, a page-wide credit run into it), or None for other text."""
    text = plain(text)
    if len(text) > 200:
        return None
    page = page_credit(text)
    rest = page[1] if page else text
    marker = _MARKER.match(rest)
    credit = _CREDIT.search(rest) or _ENGLISH_CREDIT.search(rest)
    if not (marker or credit or (page and not rest)):
        return None
    start = marker.end() if marker and marker.group().strip() != "图为" else 0  # 图为 reads as part of the caption
    text = rest[start:credit.start() if credit else len(rest)]
    return text.strip(), credit.group("credit") if credit else None, page[0] if page else None


def jump(text: str) -> tuple[str, str, str] | None:
    """A jump line ending or opening a paragraph: ('to' or 'from', the page number written, the rest of the text)."""
    text = text.strip()
    match = _JUMP.search(text) or _JUMP_AT_START.match(text)
    if not match:
        return None
    page = match.group("page")
    if page[0] in _CN_DIGITS:
        page = str(_chinese_number(page))
    way = "from" if match.group("way") in ("上接", "接", "接上", "续") else "to"
    rest = text[:match.start()] if match.end() == len(text) else text[match.end():]
    return way, page, rest.strip()


def _chinese_number(text: str) -> int:
    if "十" not in text:
        return _CN_DIGITS[text[0]]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def ends_sentence(text: str) -> bool:
    """True when the text ends with closing punctuation (closing quotes and brackets looked through)."""
    core = plain(text).rstrip(_CLOSERS + " ")
    return bool(core) and core[-1] in _TERMINAL


def is_display(text: str) -> bool:
    """A line that can be a kicker, headline, sub-head or column name: short and not ending a sentence."""
    text = plain(text)
    short = len(text) <= TITLE_MAX if _HAN_CHAR.search(text) else len(text.split()) <= TITLE_WORDS
    return bool(text) and short and not ends_sentence(text) and not text.endswith(("，", ","))


def kicker_line(text: str) -> str | None:
    """A kicker on a line of its own, ending with a colon (`武陟县:`): the kicker without it."""
    text = plain(text)
    if len(text) <= 16 and text.endswith((":", "：")) and len(text) > 1:
        return text[:-1].strip()
    return None


def run_in_kicker(text: str) -> tuple[str, str] | None:
    """A place name run into the headline (`沁阳市：“三强”模式…`): (kicker, headline)."""
    match = re.match(r"^([^：:，。“”\s]{2,8})[：:]\s*(.{4,})$", plain(text))
    if match and _PLACE.search(match.group(1)):
        return match.group(1), match.group(2)
    return None


def is_subtitle(text: str) -> bool:
    """A subtitle (副题) line: it starts with a dash, `——…`."""
    return plain(text).startswith(("——", "—", "--", "－－"))


def is_numbered_head(text: str) -> bool:
    """A numbered sub-head: `一、…`, `（二）…`, `3．…`, short."""
    return len(plain(text)) <= TITLE_MAX and bool(_NUMBERED.match(plain(text)))


def is_editor_note(text: str) -> bool:
    """An editor's note (编者按：…)."""
    return bool(_EDITOR_NOTE.match(text.strip()))


def opens_sentence(text: str) -> bool:
    """A paragraph that opens with a short clause and a comma (`曾经，…`, `近日，…`): a new sentence, not a continuation."""
    match = re.match(rf"^[{HAN}]{{2,4}}，", plain(text))
    return bool(match) or plain(text)[:1] in "“‘「『（(【《"


def ends_open(text: str) -> bool:
    """The paragraph ends on a letter or character, not on punctuation."""
    text = plain(text)
    return bool(text) and (bool(_HAN_CHAR.match(text[-1])) or text[-1].isalnum())


def continues(last: str, following: str) -> bool:
    """Whether `following` carries on the sentence `last` breaks off: a character or a lowercase word
    goes on, and it does not open a sentence of its own (曾经，…) or look like a title."""
    last, following = plain(last), plain(following)
    if not ends_open(last) or not following or is_display(following):
        return False
    if _HAN_CHAR.match(last[-1]) and _HAN_CHAR.match(following[0]):
        return not opens_sentence(following)
    return last[-1].isalnum() and following[0].islower()
